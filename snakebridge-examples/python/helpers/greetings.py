"""A helper module in a directory named by SnakeBridgeConfig.addHelperPath (docs/BEST_PRACTICES.md, "Helpers")."""


def hello(name):
    return "hello, " + name
