"""What calls of the standard library and common packages mean to the scanner.

Names are fully qualified after resolving imports and aliases
(``from subprocess import run as r`` makes ``r(...)`` a ``subprocess.run`` call).
"""

from __future__ import annotations

__all__ = [
    "CAPABILITY_MODULES",
    "CLIPBOARD",
    "CLIPBOARD_READS",
    "CLIPBOARD_WRITES",
    "CODE_LOADERS",
    "COMMAND_CALLS",
    "DANGEROUS_ATTRS",
    "DECODERS",
    "DESERIALIZERS",
    "EXEC_CALLS",
    "FILE_READ_CALLS",
    "FILE_WRITE_CALLS",
    "HARMLESS_CALLS",
    "IMPORT_CALLS",
    "KEYLOGGERS",
    "NATIVE_MEMORY_CALLS",
    "NETWORK_ACTIVE",
    "NETWORK_METHODS",
    "NETWORK_SOURCES",
    "SCREEN_CAPTURE",
    "SHELLS",
    "STEALER_MODULES",
    "capability_of_module",
]


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Module (or package prefix) -> capability it gives. Only modules that *do* the thing:
# ``urllib.parse`` or ``http.HTTPStatus`` are not network use.
CAPABILITY_MODULES: dict[str, str] = {
    **dict.fromkeys(
        _names(
            "socket ssl http.client http.server urllib.request urllib2 urllib3 requests httpx "
            "aiohttp ftplib smtplib poplib imaplib nntplib telnetlib xmlrpc.client "
            "websocket websockets paramiko pycurl grpc boto3 botocore googleapiclient "
            "google.cloud slack_sdk stripe openai anthropic notion_client github gql zeep "
            "pymongo redis psycopg psycopg2 pymysql asyncpg ldap3 tweepy dropbox "
            "asyncio.open_connection httplib2 treq twisted.web dns.resolver dns.query "
            "dns.asyncresolver pycares"
        ),
        "network",
    ),
    **dict.fromkeys(_names("subprocess pty pexpect commands popen2 sh plumbum"), "subprocess"),
    **dict.fromkeys(_names("ctypes cffi _ctypes ctypes.util"), "native"),
}


def capability_of_module(module: str) -> str | None:
    """The capability importing ``module`` (or a submodule of it) gives."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        cap = CAPABILITY_MODULES.get(".".join(parts[:i]))
        if cap:
            return cap
    return None


# Modules that exist to read other programs' secrets: importing one is the threat.
STEALER_MODULES = _names("browser_cookie3 browser_cookie pycookiecheat win32crypt")
# Calls that record every key typed in any program, and that capture the screen.
KEYLOGGERS = _names(
    "pynput.keyboard.Listener pynput.keyboard.Events keyboard.hook keyboard.on_press "
    "keyboard.on_release keyboard.record keyboard.start_recording pyHook.HookManager "
    "pyWinhook.HookManager ctypes.windll.user32.SetWindowsHookExA "
    "ctypes.windll.user32.SetWindowsHookExW ctypes.windll.user32.GetAsyncKeyState "
    "Quartz.CGEventTapCreate"
)
SCREEN_CAPTURE = _names(
    "PIL.ImageGrab.grab ImageGrab.grab mss.mss mss.MSS pyautogui.screenshot pyscreenshot.grab"
)
CLIPBOARD_READS = _names(
    "pyperclip.paste pyperclip.waitForNewPaste pyperclip.waitForPaste clipboard.paste "
    "win32clipboard.GetClipboardData pyperclip3.paste klembord.get"
)
CLIPBOARD_WRITES = _names(
    "pyperclip.copy clipboard.copy win32clipboard.SetClipboardData pyperclip3.copy klembord.set"
)
CLIPBOARD = CLIPBOARD_READS | CLIPBOARD_WRITES

EXEC_CALLS = _names(
    "builtins.exec builtins.eval builtins.compile builtins.execfile runpy.run_path "
    "runpy.run_module types.FunctionType types.CodeType code.InteractiveInterpreter "
    "code.interact code.compile_command timeit.timeit timeit.repeat timeit.Timer "
    "cProfile.run cProfile.runctx profile.run profile.runctx pdb.run pdb.runeval pdb.runctx "
    "trace.Trace.run ctypes.pythonapi.PyRun_SimpleString ctypes.pythonapi.PyRun_String "
    "ctypes.pythonapi.Py_CompileString ctypes.pythonapi.PyRun_SimpleStringFlags"
)
# Calls that load code from a path: with downloaded data written to disk, a dropper.
CODE_LOADERS = _names(
    "runpy.run_path importlib.util.spec_from_file_location importlib.machinery.SourceFileLoader "
    "importlib.machinery.ExtensionFileLoader zipimport.zipimporter imp.load_source "
    "imp.load_dynamic imp.load_compiled ctypes.CDLL ctypes.cdll.LoadLibrary ctypes.PyDLL "
    "site.addsitedir"
)
IMPORT_CALLS = _names(
    "builtins.__import__ importlib.import_module importlib.__import__ imp.load_source "
    "imp.load_module importlib.machinery.SourceFileLoader"
)
DESERIALIZERS = _names(
    "pickle.loads pickle.load pickle.Unpickler cPickle.loads cPickle.load _pickle.loads "
    "yaml.unsafe_load yaml.unsafe_load_all "
    "_pickle.Unpickler marshal.loads "
    "marshal.load dill.loads dill.load jsonpickle.decode shelve.open"
)
DECODERS = _names(
    "base64.b64decode base64.b32decode base64.b16decode base64.b85decode base64.a85decode "
    "base64.urlsafe_b64decode base64.decodebytes base64.decodestring base64.standard_b64decode "
    "binascii.unhexlify binascii.a2b_base64 binascii.a2b_hex binascii.a2b_uu "
    "bytes.fromhex bytearray.fromhex builtins.bytes.fromhex builtins.bytearray.fromhex "
    "zlib.decompress gzip.decompress bz2.decompress "
    "lzma.decompress codecs.decode marshal.loads"
)
NETWORK_SOURCES = _names(
    "urllib.request.urlopen urllib.urlopen urllib2.urlopen urllib.request.Request "
    "requests.get requests.post requests.put requests.patch requests.delete requests.head "
    "requests.request requests.Session requests.session "
    "httpx.get httpx.post httpx.put httpx.patch httpx.delete httpx.request httpx.stream "
    "httpx.Client httpx.AsyncClient aiohttp.ClientSession aiohttp.request "
    "http.client.HTTPConnection http.client.HTTPSConnection socket.socket "
    "socket.create_connection socket.fromfd urllib3.PoolManager urllib3.request "
    "urllib.request.urlretrieve websocket.create_connection websockets.connect "
    "ftplib.FTP ftplib.FTP_TLS smtplib.SMTP smtplib.SMTP_SSL paramiko.SSHClient "
    "asyncio.open_connection telnetlib.Telnet xmlrpc.client.ServerProxy"
)
# Calls that talk to the network by themselves (import-time beacons, exfiltration sinks).
NETWORK_ACTIVE = _names(
    "urllib.request.urlopen urllib.urlopen urllib2.urlopen urllib.request.urlretrieve "
    "requests.get requests.post requests.put requests.patch requests.delete requests.head "
    "requests.request httpx.get httpx.post httpx.put httpx.patch httpx.delete httpx.request "
    "httpx.stream socket.create_connection socket.gethostbyname socket.gethostbyname_ex "
    "socket.getaddrinfo urllib3.request aiohttp.request websocket.create_connection "
    "asyncio.open_connection dns.resolver.resolve dns.resolver.query "
    "dns.query.udp dns.query.tcp dns.query.https"
)
# Methods that send when called on a network object (a session, a socket, a client).
NETWORK_METHODS = _names(
    "send sendall sendto sendmsg request post put patch get urlopen upload sendmail "
    "send_message storbinary connect connect_ex"
)
COMMAND_CALLS = _names(
    "os.system os.popen os.popen2 os.popen3 os.popen4 os.spawnl os.spawnle os.spawnlp "
    "os.spawnlpe os.spawnv os.spawnve os.spawnvp os.spawnvpe os.execl os.execle os.execlp "
    "os.execlpe os.execv os.execve os.execvp os.execvpe os.posix_spawn os.posix_spawnp "
    "os.startfile subprocess.run subprocess.call subprocess.check_call "
    "subprocess.check_output subprocess.Popen subprocess.getoutput subprocess.getstatusoutput "
    "commands.getoutput commands.getstatusoutput pty.spawn asyncio.create_subprocess_shell "
    "asyncio.create_subprocess_exec pexpect.spawn pexpect.run popen2.popen2 "
    "webbrowser.GenericBrowser webbrowser.BackgroundBrowser"
)
FILE_WRITE_CALLS = _names(
    "os.rename os.renames os.replace os.remove os.unlink os.makedirs os.mkdir os.symlink "
    "os.link os.chmod os.chown os.truncate os.rmdir os.removedirs shutil.copy shutil.copy2 "
    "shutil.copyfile shutil.copytree shutil.move shutil.rmtree urllib.request.urlretrieve"
)
FILE_READ_CALLS = _names(
    "os.listdir os.scandir os.walk glob.glob glob.iglob sqlite3.connect shutil.make_archive "
    "zipfile.ZipFile tarfile.open io.open codecs.open keyring.get_password "
    "keyring.get_credential os.open io.FileIO linecache.getlines linecache.getline "
    "fileinput.input"
)
NATIVE_MEMORY_CALLS = _names(
    "ctypes.memmove ctypes.CFUNCTYPE ctypes.cast ctypes.create_string_buffer "
    "ctypes.string_at ctypes.windll.kernel32.VirtualAlloc ctypes.CDLL ctypes.cdll.LoadLibrary "
    "mmap.mmap"
)
# Calls whose arguments stay local: passing a value to them is not sending it anywhere.
HARMLESS_CALLS = _names(
    "builtins.len builtins.print builtins.isinstance builtins.sorted builtins.str "
    "builtins.repr builtins.bool builtins.int builtins.list builtins.dict builtins.set "
    "builtins.tuple builtins.min builtins.max builtins.any builtins.all builtins.format "
    "logging.debug logging.info logging.warning logging.error json.dumps json.dump "
    "click.echo click.secho"
)
# Attributes of dangerous modules reached through getattr().
DANGEROUS_ATTRS = _names(
    "exec eval compile __import__ execfile system popen spawnl spawnv execv execl execve "
    "execvp Popen run call check_call check_output getoutput loads load import_module "
    "CDLL LoadLibrary dup2 spawn fork"
)
SHELLS = _names(
    "sh bash zsh dash ksh csh tcsh fish /bin/sh /bin/bash /bin/zsh /bin/dash /usr/bin/sh "
    "/usr/bin/bash /usr/bin/zsh /usr/local/bin/bash cmd cmd.exe powershell powershell.exe pwsh"
)
