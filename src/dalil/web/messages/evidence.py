"""Arabic forms of the evidence screens' interface strings (English text -> Arabic)."""

AR: dict[str, str] = {}
