// SPDX-License-Identifier: GPL-2.0-only
/*
 * tty_drain: waits until the console has sent everything written to it
 * (tcdrain on standard output). guest-images/guest-init runs it before
 * powering off: poweroff -f does not wait for the serial driver, and a last
 * line still in its buffer (more than the 16550's 16-byte FIFO) was lost.
 */
#include <termios.h>
#include <unistd.h>

int main(void)
{
	/* Not a terminal (output to a file or pipe): nothing to wait for. */
	tcdrain(STDOUT_FILENO);
	return 0;
}
