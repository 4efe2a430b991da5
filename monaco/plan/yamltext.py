"""Deterministic YAML text for resources and generated files: block style, keys in insertion order."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import SafeRepresenter

from monaco.plan.yaml_fast import YAML11_IMPLICIT, fast_dump, wants_literal


class _Representer(SafeRepresenter):
    """Multi-line strings as `|` blocks (readable PromQL in diffs); YAML 1.1 look-alikes quoted."""

    def represent_str(self, data: str) -> Any:
        if wants_literal(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="|")
        if YAML11_IMPLICIT.match(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)


_Representer.add_representer(str, _Representer.represent_str)


def dump_yaml(value: Any) -> str:
    """`value` as block-style YAML text; the same value always gives the same bytes."""
    fast = fast_dump(value)
    return fast if fast is not None else ruamel_dump(value)


def ruamel_dump(value: Any) -> str:
    """`value` written by ruamel's emitter: the reference `fast_dump` matches byte for byte."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Representer = _Representer
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(value, stream)
    return stream.getvalue()
