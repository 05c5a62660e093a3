"""Speech recognition for recordings without a transcript: decoding, recognition, alignment.

Pure code (no Flask): the job runner and the benchmarks call it. Nothing here downloads a
model; the model folder is one the deployment installed.
"""
