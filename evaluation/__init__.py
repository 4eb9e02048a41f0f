"""deskmesh evaluation: scenario suites, metrics, trajectories, public suites, the gate."""
