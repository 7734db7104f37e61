"""The pipeline: steps, their runner and executors, parameters, sweeps and recorded results."""
