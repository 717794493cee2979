import os
collect = lambda: dict(os.environ)
