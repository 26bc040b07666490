"""Victim-list field parsers: moved to :mod:`dalil.intake.fields` (the importer validates
every value with them); re-exported here for linkage's modules and older imports."""

from dalil.intake.fields import parse_age, parse_date, parse_sex

__all__ = ["parse_age", "parse_date", "parse_sex"]
