def secret():
    """Only in moduleMode=all."""
    return 42
