// SPDX-License-Identifier: GPL-2.0-only
/*
 * pty_run: runs a command on a fresh pseudo-terminal, as if typed at a real
 * terminal, and reports what it did to that terminal.
 *
 *   pty_run [-t SECS] [-o FILE] [-m MARKER [-s BYTES | -k SIGNAL]] -- CMD [ARG...]
 *
 * The pty slave is CMD's controlling terminal and its stdin, stdout and
 * stderr, set beforehand to known "cooked" settings (canonical, echo,
 * signals, CR/NL translation). Everything CMD writes is copied to FILE
 * (default: discarded). When MARKER first appears in that output, pty_run
 * samples the terminal's settings (is CMD holding it in raw mode?), then
 * writes BYTES to the terminal as keystrokes (-s) or sends SIGNAL to CMD
 * (-k). CMD gets SECS seconds in all (default 60), then SIGKILL.
 *
 * Prints one "name: value" line per fact on stdout:
 *   marker: seen after N.N s | not seen          (only with -m)
 *   raw-during-run: yes | no (lflag 0x..)          (only when the marker was seen)
 *   status: exit N | signal N | timeout
 *   termios-restored: yes | no (what differs)
 * Exits 0 when it could run CMD (the verdict is the caller's), 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define OUT_MAX (1 << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "pty_run: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The settings of an ordinary interactive terminal. */
static void cooked(struct termios *t)
{
	t->c_iflag = ICRNL | IXON | BRKINT;
	t->c_oflag = OPOST | ONLCR;
	t->c_lflag = ICANON | ECHO | ECHOE | ECHOK | ISIG | IEXTEN;
	t->c_cflag = (t->c_cflag & ~(CSIZE | PARENB)) | CS8 | CREAD;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

/* Appends "what differs" between a and b to msg; returns true when nothing does. */
static bool same(const struct termios *a, const struct termios *b, char *msg, size_t len)
{
	size_t n = 0;

#define CMP(f)                                                                            \
	if (a->f != b->f)                                                                 \
	n += (size_t)snprintf(msg + n, len - n, " " #f " 0x%x->0x%x", (unsigned int)a->f, \
			      (unsigned int)b->f)
	CMP(c_iflag);
	CMP(c_oflag);
	CMP(c_cflag);
	CMP(c_lflag);
	CMP(c_cc[VMIN]);
	CMP(c_cc[VTIME]);
	CMP(c_cc[VINTR]);
#undef CMP
	return n == 0;
}

/* Copies what the master has to out; returns false at EOF or error. */
static bool pump(int master, FILE *out, char *seen, size_t *nseen)
{
	char buf[4096];
	ssize_t n = read(master, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && errno == EINTR;
	if (out)
		fwrite(buf, 1, (size_t)n, out);
	if (*nseen + (size_t)n < OUT_MAX) {
		memcpy(seen + *nseen, buf, (size_t)n);
		*nseen += (size_t)n;
		seen[*nseen] = 0;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *marker = NULL, *send = NULL, *outpath = NULL;
	int sig = 0, opt, master, slave, status = 0;
	double limit = 60, t0, marker_at = -1;
	struct termios before, during, after;
	bool sampled = false, done = false, timed_out = false;
	static char seen[OUT_MAX + 1];
	size_t nseen = 0;
	FILE *out = NULL;
	char diff[512];
	pid_t pid;

	while ((opt = getopt(argc, argv, "t:o:m:s:k:")) != -1) {
		switch (opt) {
		case 't':
			limit = atof(optarg);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'm':
			marker = optarg;
			break;
		case 's':
			send = optarg;
			break;
		case 'k':
			sig = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || ((send || sig) && !marker))
		goto usage;
	if (outpath && !(out = fopen(outpath, "w")))
		die(outpath);

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		die("posix_openpt");
	/* Held open here too, so the settings can be read before, during and after. */
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0 || tcgetattr(slave, &before) < 0)
		die("pty slave");
	cooked(&before);
	if (tcsetattr(slave, TCSANOW, &before) < 0 || tcgetattr(slave, &before) < 0)
		die("tcsetattr");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
			die("setsid/TIOCSCTTY");
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		close(slave);
		close(master);
		execvp(argv[optind], argv + optind);
		die(argv[optind]);
	}

	t0 = now();
	while (!done) {
		struct pollfd p = { .fd = master, .events = POLLIN };

		if (poll(&p, 1, 50) > 0 && !pump(master, out, seen, &nseen))
			break;
		if (marker && marker_at < 0 && strstr(seen, marker)) {
			marker_at = now() - t0;
			sampled = tcgetattr(slave, &during) == 0;
			if (send && write(master, send, strlen(send)) < 0)
				die("write to the pty");
			if (sig)
				kill(pid, sig);
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			done = true;
		else if (now() - t0 > limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			timed_out = done = true;
		}
	}
	if (!done)
		waitpid(pid, &status, 0);
	/* What the command wrote just before it ended. */
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };

		if (poll(&p, 1, 100) <= 0 || !pump(master, out, seen, &nseen))
			break;
	}
	if (out)
		fclose(out);
	if (tcgetattr(slave, &after) < 0)
		die("tcgetattr after");

	if (marker && marker_at >= 0)
		printf("marker: seen after %.1f s\n", marker_at);
	else if (marker)
		printf("marker: not seen\n");
	if (sampled && !(during.c_lflag & (ICANON | ECHO | ISIG)) && !(during.c_oflag & OPOST))
		printf("raw-during-run: yes\n");
	else if (sampled)
		printf("raw-during-run: no (iflag 0x%x oflag 0x%x lflag 0x%x)\n",
		       (unsigned int)during.c_iflag, (unsigned int)during.c_oflag,
		       (unsigned int)during.c_lflag);
	if (timed_out)
		printf("status: timeout (killed after %.0f s)\n", limit);
	else if (WIFEXITED(status))
		printf("status: exit %d\n", WEXITSTATUS(status));
	else
		printf("status: signal %d\n", WTERMSIG(status));
	diff[0] = 0;
	if (same(&before, &after, diff, sizeof(diff)))
		printf("termios-restored: yes\n");
	else
		printf("termios-restored: no (%s )\n", diff);
	return 0;
usage:
	fprintf(stderr, "usage: pty_run [-t SECS] [-o FILE] [-m MARKER [-s BYTES | -k SIGNAL]] -- "
			"CMD [ARG...]\n");
	return 1;
}
