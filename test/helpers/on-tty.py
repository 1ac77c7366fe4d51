"""
Runs a command on a pseudo-terminal (stdin, stdout and stderr all the terminal, as at a shell), answers its
prompts and prints {"code", "out"} as JSON. Usage: on-tty.py ARGV_JSON STEPS_JSON [STDOUT_FILE], where STEPS is a
list of [text to wait for in the output, keys to type then]; keys of the form "SIG:NAME" (e.g. "SIG:SIGINT") send
that signal to the command instead of typing. With STDOUT_FILE the command's stdout goes to that file, not the
terminal (its stdin and stderr stay the terminal), so a test can tell what it printed as data from its messages.
Every wait has one deadline (60 s): a prompt that never comes ends the run with code null and "stuck" naming the
text, instead of hanging the test. "code" is the exit code, or minus the signal's number when a signal ended it.
"""
import json, os, pty, select, signal, sys, time
argv = json.loads(sys.argv[1]); steps = json.loads(sys.argv[2])
stdout_file = sys.argv[3] if len(sys.argv) > 3 else None
pid, fd = pty.fork()
if pid == 0:
    if stdout_file is not None:
        f = os.open(stdout_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(f, 1); os.close(f)
    os.execvp(argv[0], argv)
out = b''
def pump(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if not r: return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data: return False
    out += data
    return True
deadline = time.time() + 60
for wait, send in steps:
    while wait.encode() not in out:
        if time.time() > deadline or not pump(0.5):
            os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
            print(json.dumps({"code": None, "out": out.decode('utf8', 'replace'), "stuck": wait})); sys.exit(0)
    if send.startswith('SIG:'):
        os.kill(pid, getattr(signal, send[4:]))
    else:
        os.write(fd, send.encode())
while time.time() < deadline and pump(0.5):
    pass
if time.time() > deadline:
    # Still running after its prompts were answered (a prompt left open by end of input, say): not a hang of the test.
    os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
    print(json.dumps({"code": None, "out": out.decode('utf8', 'replace'), "stuck": "exit"})); sys.exit(0)
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "out": out.decode('utf8', 'replace')}))
