"""Arabic forms of the jobs screens' interface strings (English text -> Arabic)."""

AR: dict[str, str] = {}
