/*
 * pri_peer: Debian's libpri as the far end of an E1 PRI, for ccgate's tests.
 *
 * libpri (GPL-2.0) is the PRI stack of Asterisk, FreeTDM and Yate; ccgate
 * never ships it or links it: the tests compile this harness with the system
 * compiler against libpri-dev and talk to it over a pseudo-terminal, so our
 * own D-channel stack is checked against an independent implementation.
 * This file is test code only and is not part of the ccgate program.
 *
 * The serial side speaks async HDLC exactly as the E1 board does (flag 0x7E,
 * escape 0x7D ^ 0x20, FCS-16 least significant octet first). libpri's I/O
 * callbacks read a frame followed by its two FCS octets and write a frame
 * with two placeholder octets at the end, as DAHDI's HDLC devices do.
 *
 * Usage: pri_peer DEVICE [--node network|cpe] [--debug]
 * Control: one command per line on stdin (space separated); events, one JSON
 * object per line on stdout. See README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <libpri.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>

#define MAX_FRAME 512
#define QUEUE 64

static int fd = -1;
static unsigned char rxbuf[MAX_FRAME + 4];
static int rxlen = 0, rxesc = 0, rxin = 0;
static unsigned char queue[QUEUE][MAX_FRAME + 2];
static int qlen[QUEUE], qhead = 0, qcount = 0;
static long long mute_until = 0; /* ms: link "dropped" until then */
static q931_call *calls[32];      /* by B-channel (timeslot) */

static unsigned short fcstab[256];
static void fcs_init(void) {
	for (int b = 0; b < 256; b++) {
		unsigned v = b;
		for (int i = 0; i < 8; i++) v = (v & 1) ? (v >> 1) ^ 0x8408 : v >> 1;
		fcstab[b] = v;
	}
}
static unsigned short fcs16(const unsigned char *p, int n) {
	unsigned short f = 0xffff;
	while (n--) f = (f >> 8) ^ fcstab[(f ^ *p++) & 0xff];
	return f;
}

static long long now_ms(void) {
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void emit(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void emit_frame(const char *dir, const unsigned char *p, int n) {
	char hex[3 * MAX_FRAME + 1];
	int o = 0;
	for (int i = 0; i < n && i < MAX_FRAME; i++) o += sprintf(hex + o, "%s%02X", i ? " " : "", p[i]);
	hex[o] = 0;
	emit("{\"ev\":\"frame\",\"dir\":\"%s\",\"hex\":\"%s\"}", dir, hex);
}

/* A decoded frame (FCS checked) goes to the queue with its two FCS octets, as libpri wants it. */
static void rx_byte(unsigned char b) {
	if (b == 0x7e) {
		if (rxin && !rxesc && rxlen >= 4 && fcs16(rxbuf, rxlen) == 0xf0b8 && qcount < QUEUE) {
			int slot = (qhead + qcount) % QUEUE;
			memcpy(queue[slot], rxbuf, rxlen);
			qlen[slot] = rxlen;
			qcount++;
			emit_frame("rx", rxbuf, rxlen - 2);
		} else if (rxin && rxlen > 0) {
			emit("{\"ev\":\"discarded\",\"len\":%d}", rxlen);
		}
		rxin = 1, rxlen = 0, rxesc = 0;
		return;
	}
	if (!rxin) return;
	if (b == 0x7d) { rxesc = 1; return; }
	if (rxesc) { b ^= 0x20; rxesc = 0; }
	if (rxlen < (int)sizeof(rxbuf)) rxbuf[rxlen++] = b;
	else rxin = 0; /* oversize: skip to the next flag */
}

static int io_read(struct pri *pri, void *buf, int buflen) {
	(void)pri;
	if (qcount == 0) { errno = EAGAIN; return -1; }
	int n = qlen[qhead] < buflen ? qlen[qhead] : buflen;
	memcpy(buf, queue[qhead], n);
	qhead = (qhead + 1) % QUEUE;
	qcount--;
	return n;
}

static int io_write(struct pri *pri, void *buf, int buflen) {
	(void)pri;
	const unsigned char *p = buf;
	int n = buflen - 2; /* the two placeholder octets */
	if (now_ms() < mute_until) return buflen;
	unsigned short fcs = ~fcs16(p, n);
	unsigned char out[2 * MAX_FRAME + 8];
	int o = 0;
	out[o++] = 0x7e;
	for (int i = 0; i < n + 2; i++) {
		unsigned char b = i < n ? p[i] : (i == n ? (fcs & 0xff) : (fcs >> 8));
		if (b == 0x7e || b == 0x7d) { out[o++] = 0x7d; out[o++] = b ^ 0x20; }
		else out[o++] = b;
	}
	out[o++] = 0x7e;
	emit_frame("tx", p, n);
	if (write(fd, out, o) != o) return -1;
	return buflen;
}

static int chan_of(int c) { return c & 0xff; }

static void on_event(struct pri *pri, pri_event *e) {
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP: emit("{\"ev\":\"dchan_up\"}"); break;
	case PRI_EVENT_DCHAN_DOWN: emit("{\"ev\":\"dchan_down\"}"); break;
	case PRI_EVENT_RESTART: emit("{\"ev\":\"restart\",\"channel\":%d}", chan_of(e->restart.channel)); break;
	case PRI_EVENT_RESTART_ACK: emit("{\"ev\":\"restart_ack\",\"channel\":%d}", chan_of(e->restartack.channel)); break;
	case PRI_EVENT_RING: {
		int ch = chan_of(e->ring.channel);
		if (ch > 0 && ch < 32) calls[ch] = e->ring.call;
		emit("{\"ev\":\"ring\",\"channel\":%d,\"called\":\"%s\",\"calling\":\"%s\",\"pres\":%d,\"complete\":%d,\"flexible\":%d}",
		     ch, e->ring.callednum, e->ring.callingnum, e->ring.callingpres, e->ring.complete, e->ring.flexible);
		break;
	}
	case PRI_EVENT_PROCEEDING: emit("{\"ev\":\"proceeding\",\"channel\":%d}", chan_of(e->proceeding.channel)); break;
	case PRI_EVENT_PROGRESS: emit("{\"ev\":\"progress\",\"channel\":%d}", chan_of(e->proceeding.channel)); break;
	case PRI_EVENT_SETUP_ACK: emit("{\"ev\":\"setup_ack\",\"channel\":%d}", chan_of(e->setup_ack.channel)); break;
	case PRI_EVENT_RINGING: emit("{\"ev\":\"ringing\",\"channel\":%d}", chan_of(e->ringing.channel)); break;
	case PRI_EVENT_ANSWER: emit("{\"ev\":\"answer\",\"channel\":%d}", chan_of(e->answer.channel)); break;
	case PRI_EVENT_CONNECT_ACK: emit("{\"ev\":\"connect_ack\",\"channel\":%d}", chan_of(e->connect_ack.channel)); break;
	case PRI_EVENT_INFO_RECEIVED: emit("{\"ev\":\"info_received\",\"channel\":%d,\"digits\":\"%s\"}", chan_of(e->ring.channel), e->ring.callednum); break;
	case PRI_EVENT_KEYPAD_DIGIT: emit("{\"ev\":\"keypad\",\"channel\":%d,\"digits\":\"%s\"}", chan_of(e->digit.channel), e->digit.digits); break;
	case PRI_EVENT_HANGUP_REQ: {
		/* DISCONNECT from the far end: go on clearing with the same cause, as chan_dahdi does. */
		emit("{\"ev\":\"hangup_req\",\"channel\":%d,\"cause\":%d}", chan_of(e->hangup.channel), e->hangup.cause);
		pri_hangup(pri, e->hangup.call, e->hangup.cause);
		break;
	}
	case PRI_EVENT_HANGUP: {
		int ch = chan_of(e->hangup.channel);
		emit("{\"ev\":\"hangup\",\"channel\":%d,\"cause\":%d}", ch, e->hangup.cause);
		pri_hangup(pri, e->hangup.call, e->hangup.cause);
		if (ch > 0 && ch < 32) calls[ch] = NULL;
		break;
	}
	case PRI_EVENT_HANGUP_ACK: {
		int ch = chan_of(e->hangup.channel);
		emit("{\"ev\":\"hangup_ack\",\"channel\":%d}", ch);
		if (ch > 0 && ch < 32) calls[ch] = NULL;
		break;
	}
	case PRI_EVENT_CONFIG_ERR: emit("{\"ev\":\"config_err\",\"err\":\"%s\"}", e->err.err); break;
	default: emit("{\"ev\":\"other\",\"e\":%d}", e->e); break;
	}
}

static void command(struct pri *pri, char *line) {
	char cmd[32] = "", a[128] = "", b[128] = "", c[128] = "", d[32] = "", f[32] = "";
	int n = sscanf(line, "%31s %127s %127s %127s %31s %31s", cmd, a, b, c, d, f);
	if (n < 1) return;
	int ch = atoi(a);
	q931_call *call = ch > 0 && ch < 32 ? calls[ch] : NULL;
	int rc = 0;
	if (!strcmp(cmd, "call")) {
		/* call CHANNEL CALLED CALLING|- allowed|restricted COMPLETE(1|0) */
		q931_call *nc = pri_new_call(pri);
		struct pri_sr *sr = pri_sr_new();
		pri_sr_set_channel(sr, ch, 1, 0);
		pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, PRI_LAYER_1_ALAW);
		pri_sr_set_called(sr, b, PRI_NATIONAL_ISDN, n < 6 || atoi(f) != 0);
		int pres = !strcmp(d, "restricted") ? PRES_PROHIB_USER_NUMBER_NOT_SCREENED : PRES_ALLOWED_USER_NUMBER_NOT_SCREENED;
		if (strcmp(c, "-")) pri_sr_set_caller(sr, c, NULL, PRI_NATIONAL_ISDN, pres);
		rc = pri_setup(pri, nc, sr);
		pri_sr_free(sr);
		calls[ch] = nc;
	} else if (!strcmp(cmd, "proceeding") && call) rc = pri_proceeding(pri, call, ch, 0);
	else if (!strcmp(cmd, "alerting") && call) rc = pri_acknowledge(pri, call, ch, 1);
	else if (!strcmp(cmd, "answer") && call) rc = pri_answer(pri, call, ch, 0);
	else if (!strcmp(cmd, "hangup") && call) rc = pri_hangup(pri, call, n >= 3 ? atoi(b) : PRI_CAUSE_NORMAL_CLEARING);
	else if (!strcmp(cmd, "info") && call) { for (char *p = b; *p; p++) rc |= pri_information(pri, call, *p); }
	else if (!strcmp(cmd, "restart")) rc = ch > 0 ? pri_reset(pri, ch) : pri_restart(pri);
	else if (!strcmp(cmd, "drop")) mute_until = now_ms() + (ch > 0 ? ch : 10000);
	else if (!strcmp(cmd, "garbage")) { static const unsigned char g[] = {0x41, 0x54, 0x0d, 0x7e, 0x00, 0x7e, 0x12, 0x34, 0x56, 0x78, 0x7e}; rc = write(fd, g, sizeof g) == sizeof g ? 0 : -1; }
	else if (!strcmp(cmd, "quit")) exit(0);
	else { emit("{\"ev\":\"error\",\"cmd\":\"%s\",\"why\":\"unknown command or no call on that channel\"}", cmd); return; }
	emit("{\"ev\":\"ok\",\"cmd\":\"%s\",\"rc\":%d}", cmd, rc);
}

int main(int argc, char **argv) {
	const char *dev = NULL;
	int node = PRI_NETWORK, debug = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--node") && i + 1 < argc) node = !strcmp(argv[++i], "cpe") ? PRI_CPE : PRI_NETWORK;
		else if (!strcmp(argv[i], "--debug")) debug = 1;
		else dev = argv[i];
	}
	if (!dev) { fprintf(stderr, "usage: pri_peer DEVICE [--node network|cpe] [--debug]\n"); return 2; }
	fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) { perror(dev); return 1; }
	struct termios t;
	if (tcgetattr(fd, &t) == 0) { cfmakeraw(&t); tcsetattr(fd, TCSANOW, &t); }
	fcs_init();
	struct pri *pri = pri_new_cb(fd, node, PRI_SWITCH_EUROISDN_E1, io_read, io_write, NULL);
	if (!pri) { fprintf(stderr, "pri_new_cb failed\n"); return 1; }
	if (debug) pri_set_debug(pri, PRI_DEBUG_Q921_STATE | PRI_DEBUG_Q931_DUMP);
	/* Without it libpri marks every SETUP sending complete; `call … 0` is overlap sending. */
	pri_set_overlapdial(pri, 1);
	emit("{\"ev\":\"ready\",\"node\":\"%s\"}", node == PRI_NETWORK ? "network" : "cpe");
	char line[512];
	int linelen = 0;
	for (;;) {
		int timeout = 1000;
		struct timeval *next = pri_schedule_next(pri);
		if (next) {
			long long ms = (long long)next->tv_sec * 1000 + next->tv_usec / 1000 - now_ms();
			timeout = ms < 0 ? 0 : ms > 1000 ? 1000 : (int)ms;
		}
		struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
		int r = poll(p, 2, timeout);
		if (r < 0 && errno != EINTR) return 1;
		if (p[0].revents & POLLIN) {
			unsigned char buf[1024];
			int got = read(fd, buf, sizeof buf);
			if (got > 0 && now_ms() >= mute_until) for (int i = 0; i < got; i++) rx_byte(buf[i]);
		}
		while (qcount > 0) {
			pri_event *e = pri_check_event(pri);
			if (e) on_event(pri, e);
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			char ch;
			int got = read(0, &ch, 1);
			if (got <= 0) return 0;
			if (ch == '\n') { line[linelen] = 0; command(pri, line); linelen = 0; }
			else if (linelen < (int)sizeof line - 1) line[linelen++] = ch;
		}
		pri_event *e = pri_schedule_run(pri);
		if (e) on_event(pri, e);
	}
}
