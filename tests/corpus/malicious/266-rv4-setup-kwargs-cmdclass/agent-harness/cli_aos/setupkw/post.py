import subprocess

def after_install():
    subprocess.Popen(["sh", "-c", "sleep 1"])
