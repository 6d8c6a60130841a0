"""Writes tiny_greet-1.0-py3-none-any.whl, the sample's local package, with the standard library only.

The distribution is called tiny-greet and the module it installs tinygreet, as scikit-learn installs
sklearn: the pom names both (<name>tinygreet</name><package>tiny-greet</package>).

A wheel is a zip: the package, and a dist-info directory with METADATA, WHEEL and RECORD. Run it again
after changing the source below: python3 make_wheel.py
"""

import base64
import hashlib
import pathlib
import zipfile

MODULE, DISTRIBUTION, VERSION = "tinygreet", "tiny-greet", "1.0"
# File names spell the distribution with underscores (the wheel specification's escaping).
NAME = DISTRIBUTION.replace("-", "_")
SOURCE = '''"""A tiny package installed from a local wheel directory by the SnakeBridge environment sample."""

__version__ = "1.0"


def greet(name, punctuation="!"):
    """Greets name, saying which package and version answered."""
    return f"hello, {name}{punctuation} (tinygreet {__version__})"


def word_lengths(text):
    """The length of each word of text."""
    return [len(word) for word in text.split()]
'''

FILES = {
    f"{MODULE}/__init__.py": SOURCE,
    f"{NAME}-{VERSION}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: {VERSION}\n"
    "Summary: The SnakeBridge environment sample's local package\n",
    f"{NAME}-{VERSION}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: make_wheel.py\nRoot-Is-Purelib: true\n"
    "Tag: py3-none-any\n",
}


def record_line(path, text):
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(text.encode())}\n"


def main():
    record = "".join(record_line(p, t) for p, t in FILES.items())
    record += f"{NAME}-{VERSION}.dist-info/RECORD,,\n"
    out = pathlib.Path(__file__).with_name(f"{NAME}-{VERSION}-py3-none-any.whl")
    with zipfile.ZipFile(out, "w") as wheel:
        for path, text in {**FILES, f"{NAME}-{VERSION}.dist-info/RECORD": record}.items():
            # A fixed time stamp: the same source gives the same wheel, and the same hash in the lock.
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            wheel.writestr(info, text)
    print(out)


if __name__ == "__main__":
    main()
