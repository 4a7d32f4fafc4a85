"""reader: a keyboard-first terminal reader for annotating news articles."""

import os

# reader's numpy work is small (alignment's word similarities: hundreds of words
# a side), and BLAS threads only contend with the UI and one another: measured on
# two loaded cores, aligning two 5 KB articles took 23 ms with one thread, 55 ms
# with OpenBLAS's default. Set before numpy loads (a user's setting wins).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
