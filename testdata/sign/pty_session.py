#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers its prompts, as a person at a terminal would.

    pty_session.py PROMPT ANSWER [ANSWER…] -- COMMAND [ARG…]

Each time the text PROMPT appears in what the command wrote (standard output and standard error
both go to the terminal), the next ANSWER is typed followed by a newline. When the answers run
out, nothing more is typed. Prints everything the command wrote (as the terminal showed it) and
exits with the command's exit status (128 + N for a signal). The command is killed after 60
seconds so a hung prompt cannot hang the test run.
"""
import os
import pty
import select
import signal
import sys
import time


def main():
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    args = sys.argv[1:]
    split = args.index("--")
    prompt, answers, command = args[0].encode(), args[1:split], args[split + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    seen = b""
    output = b""
    answered = 0
    deadline = time.monotonic() + 60
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the command closed the terminal (it exited)
            break
        if not chunk:
            break
        output += chunk
        seen += chunk
        while prompt in seen and answered < len(answers):
            seen = seen[seen.index(prompt) + len(prompt):]
            os.write(fd, answers[answered].encode() + b"\n")
            answered += 1
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    if os.WIFEXITED(status):
        sys.exit(os.WEXITSTATUS(status))
    sys.exit(128 + os.WTERMSIG(status))


if __name__ == "__main__":
    main()
