"""The Python library: kg/__init__.py's examples and the README's Python block run as doctests."""

import doctest
import re

import kg
from tests.conftest import PROJECT


def test_module_examples_run():
    assert doctest.testmod(kg).failed == 0


def test_readme_python_examples_run():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has a Python block"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner()
    for number, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README.md python block {number}", "README.md", 0))
    assert runner.summarize(verbose=False).failed == 0
