"""A helper module of the program, found on the classpath (docs/BEST_PRACTICES.md, "Helpers")."""
import statistics


def summary(values):
    """Count, mean and sample standard deviation: several steps, one round trip from Java."""
    return {"n": len(values), "mean": statistics.fmean(values), "stdev": statistics.stdev(values)}
