"""Deterministic YAML text for resources and generated files: block style, keys in insertion order."""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import SafeRepresenter

# Strings that YAML 1.1 readers (Prometheus and Alertmanager use Go's yaml.v2) would take for another type.
_YAML11_IMPLICIT = re.compile(
    r"^(?:[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|"
    r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|[0-9:]+|)$"
)


class _Representer(SafeRepresenter):
    """Multi-line strings as `|` blocks (readable PromQL in diffs); YAML 1.1 look-alikes quoted."""

    def represent_str(self, data: str) -> Any:
        if "\n" in data and not any(line != line.rstrip() for line in data.splitlines()):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="|")
        if _YAML11_IMPLICIT.match(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)


_Representer.add_representer(str, _Representer.represent_str)


def dump_yaml(value: Any) -> str:
    """`value` as block-style YAML text; the same value always gives the same bytes."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Representer = _Representer
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(value, stream)
    return stream.getvalue()
