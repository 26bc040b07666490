"""The interface's Arabic messages, one module per area of the screens, so that the
people who build an area add its translations without touching another's (merged by
:mod:`dalil.web.i18n`)."""
