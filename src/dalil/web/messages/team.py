"""Arabic forms of the team screens' interface strings (English text -> Arabic)."""

AR: dict[str, str] = {}
