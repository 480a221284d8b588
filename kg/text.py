"""Name normalisation: the key under which labels, synonyms and queries are compared.

Two spellings of one name must give one key, whatever their case, separators, Greek letters
or LaTeX markup:

>>> name_key("TGF-β") == name_key("TGF-beta") == name_key("tgf beta") == name_key(r"TGF-$\\beta$")
True
>>> name_key("NF-κB")
'nfkappab'
>>> name_key("  IL–6 ")
'il6'

Separators are dropped rather than collapsed to a space because the sources write the same
name with and without them (``TGFβ``, ``TGF-β``, ``TGF β``).
"""

import re
import unicodedata

# LaTeX Greek macros as the PDF-to-Markdown sources print them: $\beta$, \kappa, ${\alpha}$.
_LATEX_GREEK = re.compile(r"\$?\{?\\([A-Za-z]+)\}?\$?")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_GREEK_NAMES = frozenset(
    ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
     "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega")
)


def _spell_greek(char: str) -> str:
    """Spell a Greek letter as its English name (``β`` -> ``beta``); other characters pass."""
    name = unicodedata.name(char, "")
    if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")):
        return name.rsplit(" ", 1)[-1].lower()
    return char


def _spell_latex(match: re.Match) -> str:
    word = match.group(1).lower()
    return word if word in _GREEK_NAMES else match.group(0)


def name_key(text: str) -> str:
    """The comparison key of a name: Greek spelled out, lower case, letters and digits only.

    >>> name_key("Epithelial-Mesenchymal Transition")
    'epithelialmesenchymaltransition'
    >>> name_key("α-SMA") == name_key("alpha SMA")
    True
    """
    # NFKC first folds compatibility forms such as the micro sign into the Greek letter.
    text = _LATEX_GREEK.sub(_spell_latex, unicodedata.normalize("NFKC", text))
    text = "".join(_spell_greek(char) for char in text)
    # NFKD splits accents off their letters so that they fall to the separator rule.
    text = unicodedata.normalize("NFKD", text).casefold()
    return _NOT_ALNUM.sub("", text)
