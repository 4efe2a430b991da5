"""IANA time zone names to the Windows names Azure alert processing rules take in `schedule.timeZone` (pure data).

The 2021-08-08 API's examples name zones the Windows way ("Eastern Standard Time", "India Standard Time");
a period's `location` is IANA. This table is the part of Unicode CLDR's `windowsZones.xml` mapping that
covers the zones teams commonly write; a location missing from it is reported (MON913), never guessed.
"""

from __future__ import annotations

_GROUPS: dict[str, tuple[str, ...]] = {
    "UTC": ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Zulu"),
    "GMT Standard Time": ("Europe/London", "Europe/Dublin", "Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira"),
    "Greenwich Standard Time": ("Atlantic/Reykjavik", "Africa/Abidjan", "Africa/Accra", "Africa/Dakar"),
    "W. Europe Standard Time": (
        "Europe/Berlin",
        "Europe/Amsterdam",
        "Europe/Vienna",
        "Europe/Zurich",
        "Europe/Rome",
        "Europe/Stockholm",
        "Europe/Oslo",
        "Europe/Luxembourg",
        "Europe/Monaco",
        "Europe/Malta",
    ),
    "Romance Standard Time": ("Europe/Paris", "Europe/Brussels", "Europe/Madrid", "Europe/Copenhagen"),
    "Central European Standard Time": ("Europe/Warsaw", "Europe/Zagreb", "Europe/Sarajevo", "Europe/Skopje"),
    "Central Europe Standard Time": (
        "Europe/Prague",
        "Europe/Budapest",
        "Europe/Belgrade",
        "Europe/Bratislava",
        "Europe/Ljubljana",
    ),
    "GTB Standard Time": ("Europe/Athens", "Europe/Bucharest"),
    "FLE Standard Time": (
        "Europe/Helsinki",
        "Europe/Kiev",
        "Europe/Kyiv",
        "Europe/Riga",
        "Europe/Sofia",
        "Europe/Tallinn",
        "Europe/Vilnius",
    ),
    "Turkey Standard Time": ("Europe/Istanbul",),
    "Russian Standard Time": ("Europe/Moscow",),
    "Israel Standard Time": ("Asia/Jerusalem",),
    "Egypt Standard Time": ("Africa/Cairo",),
    "South Africa Standard Time": ("Africa/Johannesburg",),
    "W. Central Africa Standard Time": ("Africa/Lagos",),
    "E. Africa Standard Time": ("Africa/Nairobi",),
    "Arab Standard Time": ("Asia/Riyadh", "Asia/Kuwait", "Asia/Qatar"),
    "Arabian Standard Time": ("Asia/Dubai", "Asia/Muscat"),
    "Iran Standard Time": ("Asia/Tehran",),
    "Pakistan Standard Time": ("Asia/Karachi",),
    "India Standard Time": ("Asia/Kolkata", "Asia/Calcutta"),
    "Nepal Standard Time": ("Asia/Kathmandu",),
    "Bangladesh Standard Time": ("Asia/Dhaka",),
    "SE Asia Standard Time": ("Asia/Bangkok", "Asia/Jakarta", "Asia/Ho_Chi_Minh"),
    "Singapore Standard Time": ("Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Manila"),
    "China Standard Time": ("Asia/Shanghai", "Asia/Hong_Kong"),
    "Taipei Standard Time": ("Asia/Taipei",),
    "Korea Standard Time": ("Asia/Seoul",),
    "Tokyo Standard Time": ("Asia/Tokyo",),
    "W. Australia Standard Time": ("Australia/Perth",),
    "AUS Central Standard Time": ("Australia/Darwin",),
    "Cen. Australia Standard Time": ("Australia/Adelaide",),
    "E. Australia Standard Time": ("Australia/Brisbane",),
    "AUS Eastern Standard Time": ("Australia/Sydney", "Australia/Melbourne", "Australia/Canberra"),
    "Tasmania Standard Time": ("Australia/Hobart",),
    "New Zealand Standard Time": ("Pacific/Auckland",),
    "Hawaiian Standard Time": ("Pacific/Honolulu",),
    "Alaskan Standard Time": ("America/Anchorage",),
    "Pacific Standard Time": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana"),
    "US Mountain Standard Time": ("America/Phoenix",),
    "Mountain Standard Time": ("America/Denver", "America/Edmonton", "America/Boise"),
    "Central Standard Time": ("America/Chicago", "America/Winnipeg"),
    "Central Standard Time (Mexico)": ("America/Mexico_City",),
    "Eastern Standard Time": ("America/New_York", "America/Toronto", "America/Detroit"),
    "Atlantic Standard Time": ("America/Halifax",),
    "Newfoundland Standard Time": ("America/St_Johns",),
    "SA Pacific Standard Time": ("America/Bogota", "America/Lima"),
    "Pacific SA Standard Time": ("America/Santiago",),
    "E. South America Standard Time": ("America/Sao_Paulo",),
    "Argentina Standard Time": ("America/Argentina/Buenos_Aires", "America/Buenos_Aires"),
}

WINDOWS_ZONES: dict[str, str] = {iana: windows for windows, names in _GROUPS.items() for iana in names}
"""IANA name -> Windows time zone name."""


def windows_zone(iana: str | None) -> str | None:
    """The Windows name of an IANA zone (None means UTC, a period's default), or None when the table lacks it."""
    return WINDOWS_ZONES.get(iana or "UTC")
