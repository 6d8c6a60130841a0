"""What this interpreter has: the one query the JVM's start-up environment check makes.

describe(distributions, imports) answers, without importing any library:

    {"python": "3.11.2", "executable": sys.executable,
     "distributions": {name: version or None, ...},   # by distribution name (scikit-learn)
     "imports": {name: version or None, ...}}         # by import name (sklearn), via the distribution
                                                      # that provides it

Importing numpy or torch to read __version__ would cost seconds; the installed metadata costs
milliseconds.
"""

import importlib.metadata as metadata
import platform
import sys


def _version(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _providers():
    """Import name -> distribution names, from each distribution's top-level modules."""
    try:
        return metadata.packages_distributions()
    except AttributeError:  # Python 3.9 has no packages_distributions
        return {}


def describe(distributions, imports):
    providers = _providers() if imports else {}
    found_imports = {}
    for name in imports:
        version = None
        for distribution in providers.get(name, [name]):
            version = _version(distribution)
            if version is not None:
                break
        found_imports[name] = version
    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "distributions": {d: _version(d) for d in distributions},
        "imports": found_imports,
    }
