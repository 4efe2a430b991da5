"""monaco: service specs compiled to monitoring configuration, planned and applied like infrastructure."""

__version__ = "0.1.0"
__all__ = ["__version__"]
