import re

ETH = re.compile(r"^0x[0-9a-fA-F]{40}$")
BTC = re.compile(r"^(bc1[02-9ac-hj-np-z]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$")


def valid(asset: str, address: str) -> bool:
    return bool({"ETH": ETH, "BTC": BTC}[asset].match(address))
