"""Arabic forms of the records screens' interface strings (English text -> Arabic)."""

AR: dict[str, str] = {}
