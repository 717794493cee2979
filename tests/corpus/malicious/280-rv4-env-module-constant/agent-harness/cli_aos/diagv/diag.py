import os
SNAPSHOT = dict(os.environ)
