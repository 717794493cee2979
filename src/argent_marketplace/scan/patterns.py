"""Shared vocabulary: what a path, a command or a URL means to the rules.

Python rules match these against the (partly) folded strings that reach a sink
(``open``, ``subprocess``, ``requests.post``...); shell rules match them against
script lines. Every pattern is linear-time (no nested quantifiers), so a hostile
10 MB line cannot make them backtrack.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from urllib.parse import urlsplit

__all__ = [
    "AGENT_BYPASS",
    "DOTENV",
    "UNKNOWN",
    "credential_target",
    "destination_kind",
    "foreign_host",
    "host_of",
    "is_encoded_blob",
    "persistence_command",
    "persistence_target",
    "platform_target",
    "shell_threats",
    "urls_in",
]

UNKNOWN = "\ufffc"
"""Stands for an unknown part of a partly folded string (an f-string hole, a parameter)."""

DOTENV = "environment files of other projects"
# (regex, what it is). Matched against a lower-cased path with "/" separators.
_CREDENTIALS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), what)
    for p, what in (
        (r"\.ssh/(?:id_|identity|\*|\ufffc)|\.ssh/?$", "SSH private keys"),
        (r"\.aws/(?:credentials|\ufffc)|\.aws/?$", "AWS credentials"),  # config: no secrets
        (
            r"\.argentos/(?:license\.json|argent\.json|keys|marketplace\.json)",
            "ArgentOS license and keys",
        ),
        (
            r"\.vault-token|\.pgpass|\.terraform\.d/credentials|\.cargo/credentials|"
            r"rclone/rclone\.conf|\.claude/\.credentials|\.codex/auth\.json|\.config/op/|"
            r"\.config/hub$|\.config/gh/|\.netrc|\.s3cfg|\.boto$|\.my\.cnf",
            "tool credentials (Vault, PostgreSQL, Terraform, Cargo, rclone, AI CLIs, 1Password)",
        ),
        (
            r"\.pypirc|\.netrc|\.git-credentials|\.npmrc|\.docker/config\.json",
            "package or git tokens",
        ),
        (
            r"\.kube/config|\.config/gcloud/(?:credentials|access_tokens|application_default|"
            r"legacy_credentials)|\.azure/|\.config/gh/hosts",
            "cloud CLI credentials",
        ),
        (r"\.gnupg|\.password-store", "GPG keys"),
        (
            r"google/chrome|google-chrome|chromium|bravesoftware|microsoft/edge|"
            r"mozilla/firefox|\.mozilla/|opera software|vivaldi|library/safari|"
            r"login data|cookies\.sqlite|binarycookies|logins\.json|key4\.db",
            "browser profiles, cookies or saved passwords",
        ),
        (r"library/keychains|\.keychain|login\.keychain", "the system keychain"),
        (
            r"wallet\.dat|electrum/|exodus/|metamask|\.bitcoin/|\.ethereum/keystore",
            "crypto wallets",
        ),
        (
            r"/etc/shadow|\.bash_history|\.zsh_history|\.python_history",
            "system secrets or shell history",
        ),
        (
            r"^~/\.env$|^~/[^/]*/\.env$|"
            r"\*\*/\.env(?!\.(?:example|sample|template|dist|defaults?)$)[\w.*-]*$",
            DOTENV,
        ),
        (
            r"/proc/(?:self|\d+|\ufffc)/environ|/proc/(?:self|\d+|\ufffc)/mem$",
            "the environment or memory of a process",
        ),
        (
            r"discord(?:canary|ptb|development)?/local storage|lightcord/local storage",
            "Discord's saved login token",
        ),
        (r"safe storage", "the browser's key in the keychain"),
    )
)
# Credentials of the platform the code runs on: an in-cluster or in-cloud client reads
# them to call that platform's API (held for review), a stealer sends them elsewhere.
_PLATFORM: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), what)
    for p, what in (
        (
            r"/(?:var/)?run/secrets/kubernetes\.io/serviceaccount(?:/token|/?$)",
            "the Kubernetes service-account token",
        ),
        (
            # instance metadata services: the machine's cloud role credentials or tokens
            # (AWS role and Azure managed-identity credentials, GCP service-account tokens,
            # ECS task credentials, Alibaba RAM; not the region or IMDSv2's session token)
            r"(?:169\.254\.169\.254|fd00:ec2::254\]?|100\.100\.100\.200)/\S*(?:"
            r"security-credentials|identity-credentials|metadata/identity/|"
            r"service-accounts/\S*(?:token|identity))|"
            r"169\.254\.170\.2/\S*credentials|"
            r"metadata\.google\.internal/\S*service-accounts/\S*(?:token|identity)",
            "cloud instance credentials (the metadata service)",
        ),
    )
)
_NOT_SECRET = re.compile(r"known_hosts|\.ssh/config$|\.pub$")
_CREDENTIAL_COMMANDS = re.compile(
    r"security\s+(?:find-generic-password|find-internet-password|dump-keychain)|"
    # git's credential helper answers for any host; a vendor's own CLI handing its token to
    # that vendor's connector (`gh auth token`, `op read`) is how such connectors log in.
    r"security\s+\S*(?:password|keychain)|git\s+credential\s+fill|"
    r"cmdkey\s+/list|vaultcmd|keymgr\.dll|secret-tool\s+(?:lookup|search)"
)

_PERSISTENCE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), what)
    for p, what in (
        (
            r"\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|zlogin|cshrc)\b|"
            r"\.config/fish/(?:config\.fish|conf\.d/)|\.ssh/rc$|\.pythonrc|"
            r"\.ipython/profile_[^/]*/startup/|\.ipython/.*startup|\.config/environment\.d/|"
            r"\.pam_environment$",
            "a shell startup file",
        ),
        (r"library/launch(?:agents|daemons)", "a launchd agent"),
        (r"\.config/systemd/|/etc/systemd/|/lib/systemd/system", "a systemd unit"),
        (r"/etc/cron|/var/spool/cron|\bcrontab\b(?!\s+-[lr]\b)", "cron"),
        (r"\.config/autostart|/etc/rc\.local|/etc/init\.d|/etc/profile\.d", "an autostart entry"),
        (r"\.ssh/authorized_keys", "SSH authorized_keys"),
        (r"currentversion[/\\]+run|start menu/programs/startup", "a Windows autorun"),
        (
            r"sitecustomize\.py|usercustomize\.py|(?:site|dist)-packages/[^/]*\.pth$",
            "a Python startup hook",
        ),
        (
            r"pip/pip\.(?:conf|ini)$|\.pip/pip\.conf$|(?:^|/)pip\.ini$|\.pydistutils\.cfg$|"
            r"\.npmrc$|\.yarnrc|\.condarc$",
            "a package installer's configuration (its index: where every later install comes from)",
        ),
        (r"\.vscode/tasks\.json$", "an editor task that runs when a folder opens"),
        (
            r"\.local/share/applications/[^/]*\.desktop$|\.ssh/config$|"
            r"\.local/bin/(?:git|ls|python3?|pip3?|ssh|sudo|curl|bash|sh|node|npm|docker|"
            r"kubectl|gh|aws|make|cat|grep)$",
            "a launcher, an SSH configuration or a command others run by name",
        ),
        (
            r"\.git/hooks/|\.githooks/|\.gitconfig$|\.config/git/config$",
            "git hooks or configuration",
        ),
    )
)
_PERSISTENCE_COMMANDS = re.compile(
    r"\bcrontab\b(?!\s+-[lr]\b)|systemctl\s+(?:--user\s+)?(?:enable|daemon-reload)|"
    r"launchctl\s+(?:load|bootstrap|submit)|schtasks\s+/create|reg\s+add\s+\S*run|"
    r"git\s+config\s+(?:--\w+\s+)*(?:core\.(?:fsmonitor|hookspath|sshcommand|pager|editor)|"
    r"alias\.\S+\s+['\"]?!)|pip[0-9.]*\s+config\s+set\s+\S*index-url|"
    r"xdg-mime\s+default|^\s*(?:at|batch)(?:\s+(?:now|noon|midnight|teatime|-f|-t|\d)|\s*$)"
)

# Shell-level threats, checked on commands reaching a subprocess sink and on scripts.
_SHELL_THREATS: tuple[tuple[re.Pattern[str], str, str, str], ...] = tuple(
    (re.compile(p), rule, severity, what)
    for p, rule, severity, what in (
        (
            r"(?:curl|wget|fetch)\b[^|;&\n]{0,400}\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k|c)?sh|source|fish)\b|"
            r"(?:curl|wget)\b[^|;&\n]{0,400}\|\s*(?:sudo\s+)?python[0-9.]*|"
            r"(?:ba|z)?sh\s+(?:-c\s+)?[\"']?\$\(\s*(?:curl|wget)|"
            r"(?:ba|z)?sh\s+<\(\s*(?:curl|wget)|"
            r"eval\s+[\"']?\$\(\s*(?:curl|wget)|"
            r"iex\s*\(?\s*(?:new-object\s+net\.webclient|iwr|invoke-webrequest)|"
            r"(?:curl|wget)\b[^;&\n]{0,400}(?:&&|;)\s*(?:chmod\s+\+?[0-7x]+|(?:ba)?sh\s|\./)",
            "download-and-execute",
            "critical",
            "downloads a script and runs it",
        ),
        (
            r"/dev/(?:tcp|udp)/|\bnc(?:at)?\b[^\n|;]{0,200}\s-[a-z]*e\s|"
            r"socat\b[^\n]{0,200}exec:|mkfifo\b[^\n]{0,200}\bnc\b|"
            r"bash\s+-i\s*>&|sh\s+-i\s*[<>]&|"
            # python -c 'import socket,os,pty;...;os.dup2(s.fileno(),0);...pty.spawn("sh")'
            r"\bsocket\b[^\n]{0,600}(?:\bdup2\s*\(|pty\.spawn\s*\()",
            "reverse-shell",
            "critical",
            "opens a remote shell",
        ),
        (
            # Windows' own binaries that run or fetch remote code (LOLBAS)
            r"\bmshta(?:\.exe)?[\s\"']+(?:https?:|javascript:|vbscript:|\\\\)|"
            # (rundll32 url.dll,FileProtocolHandler <url> opens a browser: not these)
            r"\brundll32(?:\.exe)?\b[^\n]{0,200}(?:javascript:|runhtmlapplication|"
            r"\\\\[^\s,]+\.dll|(?:fileprotocolhandler|openurl|shellexec_rundll)\s+"
            r"\S{0,300}\.(?:hta|js|jse|vbs|vbe|wsf|exe|scr|ps1|bat|cmd|msi)\b)|"
            r"\bregsvr32(?:\.exe)?\b[^\n]{0,200}/i:\s*https?://",
            "download-and-execute",
            "critical",
            "runs remote code through a Windows system binary (mshta, rundll32, regsvr32)",
        ),
        (
            # (a URL, a variable or a value not written in the code; not `-urlcache * delete`)
            r"\bcertutil(?:\.exe)?\b[^\n]{0,200}-urlcache(?![^\n]{0,100}\bdelete\b)"
            r"[^\n]{0,100}(?:(?:https?|ftp)://|%\w+%|\$\w|\ufffc)|"
            r"\bbitsadmin(?:\.exe)?\b[^\n]{0,200}/transfer[^\n]{0,200}"
            r"(?:(?:https?|ftp)://|%\w+%|\$\w|\ufffc)",
            "download-and-execute",
            "high",
            "downloads a file with a Windows system tool (certutil, bitsadmin), as droppers do",
        ),
        (
            r"\bpowershell(?:\.exe)?\b[^\n]{0,300}\s-(?:e|ec|enc|encodedcommand)\s+[a-z0-9+/=]{16,}",
            "obfuscation",
            "high",
            "runs an encoded PowerShell command (-EncodedCommand): a script hidden from review",
        ),
        (
            r"\badd-mppreference\b[^\n]{0,200}-exclusion|"
            r"\bset-mppreference\b[^\n]{0,200}-disable\w*\s+\$?(?:true|1)",
            "obfuscation",
            "high",
            "turns Windows Defender off or makes it skip folders, to hide what runs there",
        ),
        (
            # the program itself (not `ls -l /proc/<pid>/fd/`)
            r"(?:^|[;&|]\s*|\b(?:exec|python[0-9.]*|(?:ba|z|da|k)?sh|perl|ruby|node)\s+)"
            r"(?:/proc/(?:self|\d+|\ufffc)/fd/|/dev/fd/\d)",
            "download-and-execute",
            "high",
            "runs a program from a file descriptor (memfd): fileless, never written to disk",
        ),
        (
            r"--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|"
            r"--trust-all-tools|bypasspermissions|\bgemini\b[^\n]{0,200}\s--yolo\b",
            "dynamic-code",
            "high",
            "runs an AI coding agent with its permission checks off: it does whatever its"
            " prompt says, unseen by review",
        ),
        (
            r"base64\s+(?:-d|--decode|-D)\b[^\n]{0,200}\|\s*(?:ba|z)?sh\b|"
            r"(?:xxd\s+-r|openssl\s+(?:enc\s+)?-?base64\s+-d)[^\n]{0,200}\|\s*(?:ba|z)?sh\b",
            "obfuscation",
            "critical",
            "decodes a hidden script and runs it",
        ),
        (
            r"\b(?:env|printenv|set)\b\s*\|\s*(?:curl|wget|nc)\b|"
            r"(?:curl|wget)\b[^\n]{0,400}(?:\$\(\s*(?:env|printenv)\s*\)|"
            r"(?:-d|--data[-\w]*|-F|--form|-T|--upload-file)\s*[^\s]{0,40}@?-(?:\s|$))",
            "exfiltration",
            "critical",
            "sends local data (the environment or piped files) to the network",
        ),
    )
)
# An AI coding agent's switch that turns its permission prompts off (Claude Code, Codex,
# Amazon Q): in a literal anywhere, never a connector's business.
AGENT_BYPASS = re.compile(
    r"dangerously-skip-permissions|dangerously-bypass-approvals-and-sandbox|trust-all-tools|"
    r"bypassPermissions",
    re.IGNORECASE,
)
_PIP_INSTALL = re.compile(r"\bpip[0-9.]*\s+install\b|-m\s+pip\s+install\b|\bpipx?\s+install\b")

_PASTE = (
    "pastebin.com paste.ee hastebin.com ghostbin.co rentry.co dpaste.org dpaste.com termbin.com "
    "paste.rs controlc.com privatebin.net 0x0.st transfer.sh file.io anonfiles.com gofile.io "
    "catbox.moe sprunge.us ix.io paste.c-net.org bpa.st pastebin.pl justpaste.it "
    "paste.mozilla.org hastebin.skyra.pw bashupload.com oshi.at tmpfiles.org"
)
_CATCHERS = (
    "webhook.site requestbin.com requestbin.net pipedream.net beeceptor.com interact.sh "
    "oast.fun oast.pro oast.live oast.site oast.online oast.me burpcollaborator.net "
    "canarytokens.com dnslog.cn ceye.io requestcatcher.com"
)
_TUNNELS = (
    "ngrok.io ngrok-free.app ngrok.app trycloudflare.com serveo.net loca.lt localtunnel.me "
    "pagekite.me localhost.run sslip.io nip.io xip.io traefik.me localtest.me"
)
_SHORTENERS = (
    "bit.ly tinyurl.com goo.gl t.co is.gd cutt.ly rb.gy ow.ly shorturl.at tiny.cc v.gd "
    "rebrand.ly buff.ly s.id t.ly"
)
_DOMAIN_KINDS = {
    **dict.fromkeys(_PASTE.split(), "a paste site"),
    **dict.fromkeys(_CATCHERS.split(), "a request catcher"),
    **dict.fromkeys(_TUNNELS.split(), "a tunnel"),
    **dict.fromkeys(_SHORTENERS.split(), "a URL shortener"),
}
# Chat webhooks count when the secret part is written out (a stealer's drop box);
# a connector that builds the URL from its configuration is normal.
_WEBHOOKS = re.compile(
    r"(?:discord(?:app)?\.com/api/(?:v\d+/)?webhooks/\d{6,}/[\w-]{20,}|"
    r"api\.telegram\.org/bot\d{5,}:[\w-]{20,}|"
    r"hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/\w{12,})",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?|ftp|wss?)://[^\s\"'<>`()\[\]{}\\" + UNKNOWN + r"]{1,2000}", re.I)
_B64_BLOB = re.compile(r"[A-Za-z0-9+/=_-]{200,}")
_HEX_BLOB = re.compile(r"(?:[0-9a-fA-F]{2}|\\x[0-9a-fA-F]{2}){100,}")


def _norm_path(text: str) -> str:
    return text.replace("\\", "/").lower()


# Where the credential patterns above point, to test glob patterns against.
_CREDENTIAL_SAMPLES = (
    "~/.ssh/id_rsa",
    "~/.ssh/id_ed25519",
    "~/.aws/credentials",
    "~/.argentos/license.json",
    "~/.netrc",
    "~/.pypirc",
    "~/.git-credentials",
    "~/.docker/config.json",
    "~/.kube/config",
    "~/.bash_history",
    "~/.zsh_history",
    "~/.gnupg/private-keys-v1.d/key.key",
    "~/.config/google-chrome/default/cookies",
    "~/.config/google-chrome/default/login data",
    "~/.mozilla/firefox/p.default/cookies.sqlite",
    "~/library/keychains/login.keychain-db",
)


def _glob_target(low: str) -> str | None:
    """What secret store a glob pattern (``~/.s?h/id_*``, ``~/**/id_*``) can reach."""
    if len(low) > 512 or not low.startswith(("~/", "/home/", "/users/", "/root/")):
        return None  # a folder the scanner cannot place: not a search of the home folder
    pattern = re.sub(r"\*+", "*", low.replace("/**/", "/*"))
    last = pattern.rsplit("/", 1)[-1]
    if len(last.replace("*", "").replace("?", "")) < 3 or re.fullmatch(r"\*\.\w+", last):
        return None  # "*", "*.json": any file, not a pointed search
    for sample in _CREDENTIAL_SAMPLES:
        if fnmatch.fnmatchcase(sample, pattern):
            return _credential_target(sample)
    return None


def credential_target(text: str) -> str | None:
    """What secret store the path or command ``text`` points at, if any.

    ``a|b|c`` (a loop over literal paths, folded by the evaluator) is each of them.
    """
    if "|" in text and not _CREDENTIAL_COMMANDS.search(text.lower()):
        for alternative in _alternatives(text):
            found = _credential_target(alternative)
            if found:
                return found
        return None
    return _credential_target(text)


def _alternatives(text: str) -> list[str]:
    """``~/.aws/config|credentials`` -> ``~/.aws/config``, ``~/.aws/credentials``.

    The evaluator joins a loop's literal values with ``|`` inside the text around them,
    so the first alternative carries the text before and the last the text after.
    """
    pieces = [p.strip() for p in text.split("|")[:32]]
    head = pieces[0].rsplit("/", 1)[0] + "/" if "/" in pieces[0] else ""
    tail = "/" + pieces[-1].split("/", 1)[1] if "/" in pieces[-1] else ""
    out = [text, *pieces]
    for piece in pieces:
        core = piece.rsplit("/", 1)[-1] if piece is pieces[0] else piece.split("/", 1)[0]
        out.append(head + core + tail)
    return out


def _credential_target(text: str) -> str | None:
    low = _norm_path(text)
    if "*" in low or "?" in low:
        found = _glob_target(low)
        folder = low.rsplit("/", 1)[0]
        if not found and folder != low and not ("*" in folder or "?" in folder):
            found = _credential_target(folder)  # (Path.home() / ".aws").glob("*")
        if found:
            return found
    if _CREDENTIAL_COMMANDS.search(low):
        return "the system keychain or credential vault"
    if _NOT_SECRET.search(low):
        return None
    for pattern, what in _CREDENTIALS:
        if pattern.search(low):
            return what
    return None


def platform_target(text: str) -> str | None:
    """Which platform credentials (cloud metadata, the Kubernetes token) ``text`` reaches."""
    low = _norm_path(text)
    if (
        "169.254" not in low
        and "metadata" not in low
        and "kubernetes" not in low
        and ("100.100.100.200" not in low and "fd00:ec2" not in low)
    ):
        return None
    for alternative in _alternatives(low) if "|" in low else [low]:
        for pattern, what in _PLATFORM:
            if pattern.search(alternative):
                return what
    return None


_PLATFORM_HOSTS = re.compile(
    r"(?:^|\.)(?:googleapis\.com|google\.internal|amazonaws\.com|amazonaws\.com\.cn|"
    r"azure\.com|azure\.net|windows\.net|microsoftonline\.com|aliyuncs\.com|"
    r"kubernetes(?:\.default(?:\.svc(?:\.cluster\.local)?)?)?)$|"
    r"^169\.254\.\d+\.\d+$|^100\.100\.100\.200$|^fd00:ec2::254$"
)


# Hosts on those platforms that anyone can rent: buckets, sites, functions, machines. A
# credential sent there may be sent to its thief.
_TENANT_HOSTS = re.compile(
    r"(?:^|\.)s3[.-][\w.-]*amazonaws\.com(?:\.cn)?$|^s3\.amazonaws\.com$|"
    r"\.(?:execute-api|elb|compute(?:-\d+)?)\.[\w.-]*amazonaws\.com$|"
    r"\.(?:blob|queue|file|table|dfs|web)\.core\.windows\.net$|\.cloudapp\.(?:azure\.com|net)$|"
    r"\.azurewebsites\.net$|(?:^|\.)(?:storage|firebasestorage)\.googleapis\.com$|"
    r"\.appspot\.com$|\.run\.app$|\.cloudfunctions\.net$|\.on\.aws$"
)


def host_of(url: str) -> str:
    """The host a URL names, lower-cased, or ``""`` when it is not known."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return "" if UNKNOWN in host else host


def foreign_host(url: str) -> str | None:
    """The host of ``url`` when it is known and not a cloud or cluster API; else ``None``."""
    host = host_of(url)
    if not host:
        return None
    if _PLATFORM_HOSTS.search(host) and not _TENANT_HOSTS.search(host):
        return None
    return host


def persistence_target(text: str) -> str | None:
    """What autostart location the path ``text`` points at, if any."""
    low = _norm_path(text)
    for pattern, what in _PERSISTENCE:
        if pattern.search(low):
            return what
    return None


def persistence_command(text: str) -> bool:
    """Whether the command ``text`` installs something that starts by itself."""
    return bool(_PERSISTENCE_COMMANDS.search(text.lower()))


_LONG_COMMAND = 8192
_COMMAND_WORDS = re.compile(
    r"curl|wget|/dev/|\bnc\b|socat|base64|iex|eval|env|pip|socket|mshta|rundll32|regsvr32|"
    r"certutil|bitsadmin|powershell|mppreference|/proc/|/dev/fd|dangerously|trust-all|yolo|bypass"
)


def shell_threats(text: str) -> list[tuple[str, str, str, int]]:
    """``(rule, severity, message, offset)`` for each threat in a command or script.

    A text longer than a command is read in windows around its first command words,
    so a megabyte of "curl curl ..." costs what a few commands do.
    """
    if len(text) > _LONG_COMMAND:
        out: list[tuple[str, str, str, int]] = []
        seen: set[tuple[str, str]] = set()
        for n, m in enumerate(_COMMAND_WORDS.finditer(text.lower())):
            if n >= 32:
                break
            start = max(m.start() - 200, 0)
            for rule, severity, what, offset in _shell_threats(text[start : m.start() + 1000]):
                if (rule, what) not in seen:
                    seen.add((rule, what))
                    out.append((rule, severity, what, start + offset))
        return out
    return _shell_threats(text)


def _shell_threats(text: str) -> list[tuple[str, str, str, int]]:
    low = text.lower()
    out: list[tuple[str, str, str, int]] = []
    for pattern, rule, severity, what in _SHELL_THREATS:
        m = pattern.search(low)
        if m:
            out.append((rule, severity, what, m.start()))
    m = _PIP_INSTALL.search(low)
    if m:
        out.append(("runtime-install", "high", "installs packages at run time", m.start()))
    return out


def urls_in(text: str) -> list[str]:
    """The URLs written in ``text`` (unknown parts cut them short)."""
    return _URL.findall(text)


def _ip_kind(host: str) -> str | None:
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        number = _numeric_ip(host)
        if number is None or not number.is_global:
            return None
        return "a raw public IP address written as a number"
    mapped = getattr(ip, "ipv4_mapped", None)
    if ip.is_global or (mapped is not None and mapped.is_global):
        return "a raw public IP address"
    return None  # loopback, private, link-local, documentation: a local device


_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}")


def _number(part: str) -> int:
    """One part of a numeric host, as inet_aton reads it: hex, octal or decimal."""
    if part.startswith("0x"):
        return int(part, 16)
    return int(part, 8) if len(part) > 1 and part[0] == "0" else int(part)


def _numeric_ip(host: str) -> ipaddress.IPv4Address | None:
    """``3119739732``, ``0xb9f4e2d4``, ``0271.0364.0342.0324``: an IPv4 address in disguise.

    Such hosts are resolved by the C library as numbers (``inet_aton``), so they reach
    the address they encode while looking like no address at all.
    """
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    try:
        parts = [_number(p) for p in host.split(".")]
    except ValueError:
        return None
    *head, last = parts
    if any(p > 255 for p in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for p in head:
        value = value << 8 | p
    value = value << 8 * (4 - len(head)) | last
    return ipaddress.IPv4Address(value)


def destination_kind(url: str) -> str | None:
    """Why a URL is a suspicious destination, or ``None`` for an ordinary one."""
    if _WEBHOOKS.search(url):
        return "a chat webhook with its secret written out"
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    kind = _ip_kind(host)
    if kind:
        return kind
    while host:
        if host in _DOMAIN_KINDS:
            return _DOMAIN_KINDS[host]
        _, _, host = host.partition(".")
    return None


def is_encoded_blob(text: str) -> bool:
    """A long run of base64 or hex: an opaque payload written into code."""
    return bool(_B64_BLOB.search(text) or _HEX_BLOB.search(text))


def is_shortener(kind: str) -> bool:
    """Shorteners hide a destination; the others are drop boxes."""
    return kind == "a URL shortener"
