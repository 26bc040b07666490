"""The fictional demo case (`dalil demo`): a whole case to learn dalil on, built from a seed.

Owns: the demo's invented story (`story`), its records with deterministic ids and clock
(`book`), the actors, incidents, evidence and victims of the case (`actors`, `incidents`,
`evidence`, `victims`), the NGOs' victim lists and their truth (`victim_lists`), and
putting them together (`builder`).

May use: every library package (it sits on top of them, beside `jobs` and `backup`);
never the web app or the CLI, which call :func:`build_demo`.
"""

from dalil.demo.builder import DemoResult, build_demo
from dalil.demo.story import TITLE

__all__ = ["TITLE", "DemoResult", "build_demo"]
