//! PyTorch checkpoints.
