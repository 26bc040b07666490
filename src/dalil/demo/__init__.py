"""The fictional demo case (`dalil demo`)."""

from dalil.demo.builder import TITLE, DemoResult, build_demo

__all__ = ["TITLE", "DemoResult", "build_demo"]
