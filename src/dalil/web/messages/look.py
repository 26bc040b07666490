"""Arabic forms of the look screens' interface strings (English text -> Arabic)."""

AR: dict[str, str] = {}
