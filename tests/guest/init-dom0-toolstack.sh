# SPDX-License-Identifier: MIT
# Dom0's toolstack test and benchmark: Debian's unmodified Xen 4.17 user
# space (xenstored, xen-init-dom0, xenconsoled, xl) creating, running and
# destroying DomUs on the hypervisor under test.
#
# Installed as /bin/orchid-toolstack in the toolstack initramfs
# (tools/fetch-guest.sh --toolstack) and *sourced* by init-dom0.sh for
#   orchid.test=toolstack        the system test (tests/system/
#                                toolstack_cases.py): one line per check,
#                                  ORCHID-TEST PASS <check> [(detail)]
#                                  ORCHID-TEST FAIL <check>: <why>
#                                then the SUMMARY and POWEROFF lines
#   orchid.test=toolstack-bench  the benchmark (bench/toolstack.py):
#                                ORCHID-BENCH lines, then power off
#   orchid.test=livepatch-bench  bench/livepatch.py: xen-livepatch
#                                actions, Orchid logs each pCPU's hold
#   orchid.test=pvio-bench       PV disk and network throughput
#                                (bench/pvio.py): ORCHID-BENCH lines
# so it uses init-dom0.sh's check, load_modules, power_off and uptime_s.
# Dom0 command-line knobs: orchid.cpus=N and orchid.mem=MiB (what xl info
# must report; default 4 and 2048), orchid.cycles=N (create/destroy cycles,
# default 10), orchid.hcn=N, orchid.pings=N (benchmark loop sizes),
# orchid.pvmb=MiB, orchid.pvpings=N (bench/pvio.py's sizes),
# orchid.only=CHECK,CHECK (run only these checks: bench/preempt.py; the
# bare-metal test guest's checks, baremetal-domu*, run only when named:
# tests/system/guest_domu.py).
#
# The DomUs (tests/guest/domu-*.cfg, /init = tests/guest/init-domu.sh) run
# Debian's kernel from /guest/Image with /guest/domu.cpio.gz. Every step
# that can hang runs under `timeout`, every wait is bounded: a hang is a
# FAIL line, and the next check still runs.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-4.17/bin
CONSOLE_LOGS=/var/log/xen/console
WANT_CPUS=4 WANT_MEM=2048 CYCLES=10 PINGS=2000 PVMB=8 PVPINGS=10 ONLY="" BM_FUZZ="" BM_TIME=100 BM_TRACE=0 BM_START=0 BM_ARGS=""
for word in $(cat /proc/cmdline); do
	case "$word" in
	orchid.cpus=*) WANT_CPUS=${word#*=} ;;
	orchid.mem=*) WANT_MEM=${word#*=} ;;
	orchid.cycles=*) CYCLES=${word#*=} ;;
	orchid.pings=*) PINGS=${word#*=} ;;
	orchid.only=*) ONLY=${word#*=} ;;
	orchid.pvmb=*) PVMB=${word#*=} ;;
	orchid.pvpings=*) PVPINGS=${word#*=} ;;
	orchid.bmfuzz=*) BM_FUZZ=${word#*=} ;;
	orchid.bmtime=*) BM_TIME=${word#*=} ;;
	orchid.bmtrace=*) BM_TRACE=${word#*=} ;;
	orchid.bmstart=*) BM_START=${word#*=} ;;
	orchid.bmarg=*) BM_ARGS="$BM_ARGS ${word#*=}" ;;
	esac
done

# ---- helpers ---------------------------------------------------------------

now_s() { read -r u _ < /proc/uptime; echo "${u%.*}"; }

# wait_until SECONDS COMMAND...: run COMMAND every half second until it
# succeeds (0) or SECONDS have passed (1); says so every 15 s meanwhile
# (the test runner gives up on a console silent for a minute).
wait_until() {
	_start=$(now_s)
	_end=$((_start + $1))
	_say=$((_start + 15))
	shift
	while ! "$@"; do
		_now=$(now_s)
		[ "$_now" -ge $_end ] && return 1
		if [ "$_now" -ge $_say ]; then
			echo "  [wait] $((_now - _start)) s for: $*"
			_say=$((_now + 15))
		fi
		sleep 0.5
	done
	return 0
}

# xlt SECONDS ARGS...: xl with a time limit (KILL: xl must not linger).
xlt() {
	_t=$1
	shift
	timeout -s KILL "$_t" xl "$@"
}

# One field of `xl info` ("free_memory : 1234" -> 1234).
xl_info_field() {
	xlt 30 info 2>/dev/null | sed -n "s/^$1 *: *//p"
}

domain_exists() { xlt 30 list "$1" >/dev/null 2>&1; }
domain_gone() { ! domain_exists "$1"; }

# The line of `xl list` for a domain: name id mem vcpus state time.
domain_line() { xlt 30 list 2>/dev/null | grep "^$1 "; }

console_log() { echo "$CONSOLE_LOGS/guest-$1.log"; }

# Number of counter lines a DomU's console log has from one vCPU, counting
# only lines whose counter really ran on that vCPU.
ticks() { # ticks DOMAIN CPU
	tr -d '\r' < "$(console_log "$1")" 2>/dev/null |
		grep -c "^ORCHID-DOMU-TICK cpu=$2 ran=$2 "
}
ticks_both() { [ "$(ticks "$1" 0)" -gt 0 ] && [ "$(ticks "$1" 1)" -gt 0 ]; }

log_has() { tr -d '\r' < "$(console_log "$1")" 2>/dev/null | grep -q "$2"; }

# What a step produced goes to the console, prefixed, for the log.
show() { # show TAG [FILE]   (no FILE: standard input)
	if [ $# -gt 1 ]; then
		tr -d '\r' < "$2"
	else
		tr -d '\r'
	fi | sed "s/^/  [$1] /"
}

# A command's output, time-limited, into a file; returns its status.
capture() { # capture FILE SECONDS COMMAND...
	_f=$1 _t=$2
	shift 2
	timeout -s KILL "$_t" "$@" > "$_f" 2>&1
}

# The hypervisor's free memory, exactly: free_pages of XEN_SYSCTL_physinfo
# (xl info rounds it to MiB).
free_pages() {
	timeout -s KILL 30 privcmd_domctl 2>/dev/null |
		sed -n 's/.*free_pages=\([0-9]*\).*/\1/p'
}

# Free memory as "<xl info free_memory> MB/<free_pages> pages".
free_now() { echo "$(xl_info_field free_memory) MB/$(free_pages) pages"; }

# Wait until free memory is back to $1 (free_now's form), or short of it
# by at most $2 pages (domain teardown is asynchronous); sets FREE_NOW.
free_back_to() {
	_want=${1##* MB/}
	_want=${_want% pages}
	_i=0
	while :; do
		FREE_NOW=$(free_now)
		_have=${FREE_NOW##* MB/}
		_have=${_have% pages}
		[ -n "$_have" ] && [ -n "$_want" ] &&
			[ $((_want - _have)) -le "$2" ] && return 0
		_i=$((_i + 1))
		[ $_i -ge 10 ] && return 1
		echo "  [wait] free memory $FREE_NOW, want $1"
		sleep 1
	done
}

# ---- start the toolstack ---------------------------------------------------

toolstack_start() {
	mkdir -p /proc/xen /run/xen /run/xenstored /var/lib/xen \
		/var/lib/xenstored /var/lock /var/log/xen "$CONSOLE_LOGS"
	[ -e /var/run ] || ln -s /run /var/run
	mount -t xenfs xenfs /proc/xen 2>/dev/null
	TS_ERR=""
	capture /tmp/xenstored.out 30 xenstored --pid-file /run/xenstored.pid ||
		TS_ERR="$TS_ERR xenstored($(cat /tmp/xenstored.out))"
	capture /tmp/init-dom0.out 60 xen-init-dom0 ||
		TS_ERR="$TS_ERR xen-init-dom0($(cat /tmp/init-dom0.out))"
	capture /tmp/xenconsoled.out 30 xenconsoled \
		--pid-file=/run/xenconsoled.pid --log=guest \
		--log-dir="$CONSOLE_LOGS" ||
		TS_ERR="$TS_ERR xenconsoled($(cat /tmp/xenconsoled.out))"
}

check_daemons() {
	name=$(timeout -s KILL 20 xenstore-read /local/domain/0/name 2>&1)
	DETAIL="xenstored pid $(cat /run/xenstored.pid 2>/dev/null), xenconsoled pid $(cat /run/xenconsoled.pid 2>/dev/null), /local/domain/0/name '$name'"
	[ -n "$TS_ERR" ] && DETAIL="failed:$TS_ERR; $DETAIL" && return 1
	[ "$name" = Domain-0 ] && pidof xenstored >/dev/null &&
		pidof xenconsoled >/dev/null
}

check_xl_info() {
	FREE_BOOT=$(free_now) # before any DomU: domu-destroy's reference
	capture /tmp/xl-info.out 60 xl info
	r=$?
	show xl-info /tmp/xl-info.out
	f() { sed -n "s/^$1 *: *//p" /tmp/xl-info.out; }
	cpus=$(f nr_cpus) total=$(f total_memory) free=$(f free_memory)
	major=$(f xen_major) minor=$(f xen_minor)
	DETAIL="exit $r, nr_cpus '$cpus', total_memory '$total' MB, free_memory '$free' MB, xen $major.$minor"
	# total_memory: what the hypervisor owns of QEMU's RAM, at most 3% less.
	[ $r = 0 ] && [ "$cpus" = "$WANT_CPUS" ] && [ "$major" = 4 ] &&
		[ "$minor" = 17 ] && [ -n "$total" ] &&
		[ "$total" -le "$WANT_MEM" ] &&
		[ "$total" -ge $((WANT_MEM * 97 / 100)) ] && [ -n "$free" ]
}

check_xl_list() {
	capture /tmp/xl-list.out 60 xl list
	r=$?
	show xl-list /tmp/xl-list.out
	line=$(grep '^Domain-0 ' /tmp/xl-list.out)
	DETAIL="exit $r, '$(echo $line)'"
	set -- $line
	[ $r = 0 ] && [ "$2" = 0 ] && [ -n "$3" ] && [ "$3" -gt 0 ]
}

# ---- Xen's own tool-level tests (Debian's xen-utils-4.17) -------------------

# xen_test PROGRAM [ARGS...]: run one of /usr/lib/xen-4.17/bin/test-*, show
# its output; it passes when it exits 0 and printed neither a failure nor a
# skip (the programs exit 0 when they skip: a hypervisor refusing their
# domain would pass unseen). Sets XT_OUT (the output file).
xen_test() {
	XT_OUT=/tmp/$1.out
	capture "$XT_OUT" 120 "$@"
	_r=$?
	show "$1" "$XT_OUT"
	_bad=$(grep -c -i -e 'fail' -e 'skip' "$XT_OUT")
	DETAIL="exit $_r, $(wc -l < "$XT_OUT") lines, $_bad failure/skip lines"
	[ $_r = 0 ] && [ "$_bad" = 0 ]
}

# A domain's P2M pool: 16 pages at creation, unchanged by populating it,
# -EINVAL for a size that is not whole pages, 64 MiB set (with
# continuations on Xen) and read back.
check_xen_paging_mempool() {
	xen_test test-paging-mempool &&
		grep -q '^  Created d' "$XT_OUT" &&
		grep -q '^mempool size 65536 bytes' "$XT_OUT" &&
		grep -q '^Test set continuation' "$XT_OUT"
}

# XENMEM_acquire_resource of a created domain's grant table: its size is
# max_grant_frames (40), all 40 frames map, status frames (v2) do not.
check_xen_resource() {
	xen_test test-resource &&
		grep -q '^  Created d' "$XT_OUT" &&
		grep -q '^  Test grant table' "$XT_OUT"
}

# xenstored's own tests (read, write, directory, transactions, ...) through
# libxenstore; each of its 12 prints "<name>: <time> ns".
check_xen_xenstore() {
	xen_test test-xenstore &&
		[ "$(grep -c ': .* ns$' "$XT_OUT")" = 12 ]
}

# ---- 2 and 7: xl create -c, the PV console, privcmd in a DomU ---------------

check_console() {
	t0=$(now_s)
	# xl forks xenconsole, which relays the DomU's console until it ends.
	capture /tmp/hello.out 100 xl create -c /etc/xen/domu-hello.cfg
	r=$?
	show domu-hello /tmp/hello.out
	tr -d '\r' < /tmp/hello.out > /tmp/hello.txt
	ready=$(grep '^ORCHID-DOMU-READY mode=hello' /tmp/hello.txt)
	DETAIL="xl create -c exit $r after $(($(now_s) - t0)) s"
	if [ -z "$ready" ]; then
		DETAIL="$DETAIL; no ORCHID-DOMU-READY from the DomU's console"
		return 1
	fi
	DETAIL="$DETAIL; '$ready'"
	if ! grep -q '^ORCHID-DOMU-BYE' /tmp/hello.txt; then
		DETAIL="$DETAIL; the DomU never reached its poweroff"
		return 1
	fi
	if ! domain_gone domu-hello; then
		DETAIL="$DETAIL; domu-hello still in xl list after poweroff"
		xlt 30 destroy domu-hello
		return 1
	fi
	DETAIL="$DETAIL; free memory $(free_now) once it is gone ($FREE_BOOT before)"
	[ $r = 0 ]
}

check_privcmd_dom0() {
	out=$(timeout -s KILL 30 privcmd_domctl --expect ok 2>&1)
	r=$?
	echo "$out" | sed 's/^/  [dom0] /'
	DETAIL="exit $r: $(echo $out)"
	[ $r = 0 ] && echo "$out" | grep -q "nr_cpus=$WANT_CPUS "
}

check_privcmd_domu() {
	DETAIL=$(grep '^PRIVCMD-\|^ORCHID-DOMU-PRIVCMD' /tmp/hello.txt 2>/dev/null |
		tr '\n' ';')
	[ -z "$DETAIL" ] && DETAIL="no PRIVCMD lines from domu-hello" && return 1
	grep -q '^PRIVCMD-DOMCTL getdomaininfo rc=-1 errno=1 ' /tmp/hello.txt &&
		grep -q '^PRIVCMD-SYSCTL physinfo rc=-1 errno=1 ' /tmp/hello.txt &&
		grep -q '^ORCHID-DOMU-PRIVCMD exit=0' /tmp/hello.txt
}

# ---- 3: a 2-vCPU DomU, pause and unpause -------------------------------------

check_two_vcpus() {
	capture /tmp/count.out 90 xl create /etc/xen/domu-count.cfg
	r=$?
	show domu-count /tmp/count.out
	if [ $r != 0 ]; then
		DETAIL="xl create exit $r"
		return 1
	fi
	if ! wait_until 120 ticks_both domu-count; then
		DETAIL="no counter lines from both vCPUs within 120 s (cpu0 $(ticks domu-count 0), cpu1 $(ticks domu-count 1))"
		tail -n 20 "$(console_log domu-count)" 2>/dev/null | show console
		return 1
	fi
	line=$(domain_line domu-count)
	capture /tmp/vcpu-list.out 30 xl vcpu-list domu-count
	show vcpu-list /tmp/vcpu-list.out
	nv=$(grep -c '^domu-count ' /tmp/vcpu-list.out)
	set -- $line
	DETAIL="xl list '$(echo $line)'; vcpu-list $nv vCPUs; ticks cpu0 $(ticks domu-count 0), cpu1 $(ticks domu-count 1)"
	[ "$4" = 2 ] && [ "$nv" = 2 ]
}

check_pause() {
	if ! xlt 30 pause domu-count; then
		DETAIL="xl pause failed"
		return 1
	fi
	sleep 1 # console output already in flight
	a0=$(ticks domu-count 0) a1=$(ticks domu-count 1)
	sleep 4
	b0=$(ticks domu-count 0) b1=$(ticks domu-count 1)
	set -- $(domain_line domu-count)
	DETAIL="state '$5'; ticks over 4 s paused: cpu0 $a0->$b0, cpu1 $a1->$b1"
	[ "$a0" = "$b0" ] && [ "$a1" = "$b1" ] && case "$5" in *p*) true ;; *) false ;; esac
}

ticks_grew() { # ticks_grew DOMAIN CPU0-BEFORE CPU1-BEFORE
	[ "$(ticks "$1" 0)" -gt "$2" ] && [ "$(ticks "$1" 1)" -gt "$3" ]
}

check_unpause() {
	a0=$(ticks domu-count 0) a1=$(ticks domu-count 1)
	if ! xlt 30 unpause domu-count; then
		DETAIL="xl unpause failed"
		return 1
	fi
	wait_until 30 ticks_grew domu-count "$a0" "$a1"
	r=$?
	DETAIL="ticks after unpause: cpu0 $a0->$(ticks domu-count 0), cpu1 $a1->$(ticks domu-count 1)"
	return $r
}

# ---- 4: scheduling: xl vcpu-pin, sched-credit2, cpupools -------------------

# The `xl vcpu-list` line of vCPU $2 of domain $1: name id vcpu cpu state
# time hard / soft.
vcpu_line() {
	xlt 30 vcpu-list "$1" 2>/dev/null | awk -v n="$1" -v v="$2" \
		'$1 == n && $3 == v'
}
vcpu_on() { # vcpu_on DOMAIN VCPU PCPU: xl vcpu-list shows it there
	set -- "$3" $(vcpu_line "$1" "$2")
	[ "$5" = "$1" ]
}
ticks_grew_by() { # ticks_grew_by DOMAIN CPU BEFORE N
	[ "$(ticks "$1" "$2")" -ge $(($3 + $4)) ]
}

# Pin each of domu-count's vCPUs, then both on one pCPU, then Dom0's own
# vCPU 1 (it moves when it next leaves its pCPU): xl vcpu-list must show
# the new pCPU and hard affinity, and the counters keep running there.
check_vcpu_pin() {
	last=$((WANT_CPUS - 1))
	DETAIL=""
	for step in "0 $last" "1 $((last - 1))" "0 $((last - 1))"; do
		set -- $step
		a=$(ticks domu-count "$1")
		if ! xlt 30 vcpu-pin domu-count "$1" "$2"; then
			DETAIL="$DETAIL xl vcpu-pin domu-count $1 $2 failed"
			return 1
		fi
		wait_until 10 vcpu_on domu-count "$1" "$2"
		line=$(vcpu_line domu-count "$1")
		wait_until 30 ticks_grew_by domu-count "$1" "$a" 3
		DETAIL="$DETAIL; pin v$1->p$2: '$(echo $line)' ticks $a->$(ticks domu-count "$1")"
		set -- "$@" $line
		[ "$6" = "$2" ] && [ "$9" = "$2" ] || return 1
		ticks_grew_by domu-count "$1" "$a" 3 || return 1
	done
	xlt 30 vcpu-list domu-count | show vcpu-list
	xlt 30 vcpu-pin Domain-0 1 "$last" || { DETAIL="$DETAIL; Dom0 pin failed"; return 1; }
	wait_until 10 vcpu_on Domain-0 1 "$last" || { DETAIL="$DETAIL; Dom0 v1: '$(echo $(vcpu_line Domain-0 1))'"; return 1; }
	xlt 30 vcpu-pin Domain-0 1 all &&
		xlt 30 vcpu-pin domu-count all all
}

# xl sched-credit2: weight and cap read back as set, a cap above 100 per
# vCPU is refused, the pool's rate limit reads back; then the defaults.
check_credit2() {
	xlt 30 sched-credit2 -d domu-count -w 512 -c 150 || { DETAIL="set failed"; return 1; }
	capture /tmp/c2.out 30 xl sched-credit2 -d domu-count
	show sched-credit2 /tmp/c2.out
	set -- $(grep '^domu-count ' /tmp/c2.out)
	DETAIL="weight $3 cap $4"
	[ "$3" = 512 ] && [ "$4" = 150 ] || return 1
	if xlt 30 sched-credit2 -d domu-count -c 201 2>/dev/null; then
		DETAIL="$DETAIL; cap 201 on 2 vCPUs accepted"
		return 1
	fi
	xlt 30 sched-credit2 -s -r 2000 || { DETAIL="$DETAIL; -s -r failed"; return 1; }
	capture /tmp/c2s.out 30 xl sched-credit2 -s
	show sched-credit2-s /tmp/c2s.out
	DETAIL="$DETAIL; -s: '$(echo $(cat /tmp/c2s.out))'"
	grep -q 'ratelimit=2000us' /tmp/c2s.out || return 1
	xlt 30 sched-credit2 -s -r 1000 &&
		xlt 30 sched-credit2 -d domu-count -w 256 -c 0
}

# Time(s) of a domain in xl list, in tenths of a second.
dom_time() { # dom_time DOMAIN XL-LIST-OUTPUT
	awk -v n="$1" '$1 == n { sub(/\./, "", $6); print $6 + 0 }' "$2"
}

# Two CPU-bound one-vCPU DomUs pinned to pCPU 1 with weights 256 and 512:
# over 20 s the heavier must get about twice the CPU time (1.6 to 2.5),
# both read from the same two `xl list` calls.
check_credit2_weights() {
	for n in a b; do
		# Say so: xl create may take a minute (the runner's idle limit).
		echo "  [spin] xl create -p domu-spin-$n"
		if ! capture /tmp/spin-$n.out 90 xl create -p /etc/xen/domu-spin.cfg "name=\"domu-spin-$n\""; then
			show spin-$n /tmp/spin-$n.out
			DETAIL="xl create domu-spin-$n failed"
			return 1
		fi
	done
	xlt 30 sched-credit2 -d domu-spin-a -w 256 &&
		xlt 30 sched-credit2 -d domu-spin-b -w 512 &&
		xlt 30 unpause domu-spin-a && xlt 30 unpause domu-spin-b
	wait_until 90 log_has domu-spin-a ORCHID-DOMU-READY
	wait_until 90 log_has domu-spin-b ORCHID-DOMU-READY
	xlt 30 vcpu-list | show vcpu-list
	xlt 30 list > /tmp/t0.out
	sleep 20
	xlt 30 list > /tmp/t1.out
	a0=$(dom_time domu-spin-a /tmp/t0.out) b0=$(dom_time domu-spin-b /tmp/t0.out)
	a1=$(dom_time domu-spin-a /tmp/t1.out) b1=$(dom_time domu-spin-b /tmp/t1.out)
	da=$((a1 - a0)) db=$((b1 - b0))
	DETAIL="CPU time over 20 s (0.1 s): weight 256 $da, weight 512 $db"
	xlt 60 destroy domu-spin-a
	xlt 60 destroy domu-spin-b
	[ "$da" -gt 0 ] && [ $((db * 10)) -ge $((da * 16)) ] &&
		[ $((db * 10)) -le $((da * 25)) ]
}

# The `xl cpupool-list [-c]` line of pool $1.
pool_line() {
	xlt 30 cpupool-list $2 2>/dev/null | awk -v n="$1" '$1 == n'
}

# A cpupool cycle with Debian's xl: take the last pCPU from Pool-0, make
# a credit2 pool of it, move the running domu-count there (its vCPUs must
# follow and keep counting), rename the pool, create a paused DomU in it
# (domu-cycle's config) with pool=, move domu-count back, destroy the pool, give the pCPU back.
check_cpupool() {
	last=$((WANT_CPUS - 1))
	DETAIL=""
	if ! xlt 30 cpupool-cpu-remove Pool-0 "$last"; then
		DETAIL="xl cpupool-cpu-remove Pool-0 $last failed"
		return 1
	fi
	printf 'name = "orchid-pool"\nsched = "credit2"\ncpus = ["%s"]\n' \
		"$last" > /tmp/pool.cfg
	if ! capture /tmp/pool.out 30 xl cpupool-create /tmp/pool.cfg; then
		show cpupool-create /tmp/pool.out
		DETAIL="xl cpupool-create failed"
		return 1
	fi
	xlt 30 cpupool-list -c | show cpupool-list-c
	set -- $(pool_line orchid-pool -c)
	DETAIL="pool cpus '$2'"
	[ "$2" = "$last" ] || return 1
	a0=$(ticks domu-count 0) a1=$(ticks domu-count 1)
	xlt 30 cpupool-migrate domu-count orchid-pool || { DETAIL="$DETAIL; migrate failed"; return 1; }
	wait_until 10 vcpu_on domu-count 0 "$last"
	wait_until 10 vcpu_on domu-count 1 "$last"
	wait_until 30 ticks_grew_by domu-count 0 "$a0" 3
	wait_until 30 ticks_grew_by domu-count 1 "$a1" 3
	xlt 30 vcpu-list domu-count | show vcpu-list
	xlt 30 cpupool-list | show cpupool-list
	set -- $(pool_line orchid-pool)
	DETAIL="$DETAIL; in pool: '$(echo $(vcpu_line domu-count 0)), $(echo $(vcpu_line domu-count 1))' ticks $a0->$(ticks domu-count 0), $a1->$(ticks domu-count 1); domains $5"
	vcpu_on domu-count 0 "$last" && vcpu_on domu-count 1 "$last" &&
		ticks_grew_by domu-count 0 "$a0" 3 &&
		ticks_grew_by domu-count 1 "$a1" 3 && [ "$5" = 1 ] || return 1
	xlt 30 cpupool-rename orchid-pool orchid-renamed || { DETAIL="$DETAIL; rename failed"; return 1; }
	if ! capture /tmp/inpool.out 90 xl create -p /etc/xen/domu-cycle.cfg 'name="domu-inpool"' 'pool="orchid-renamed"'; then
		show inpool /tmp/inpool.out
		DETAIL="$DETAIL; xl create pool= failed"
		return 1
	fi
	line=$(xlt 30 list -c domu-inpool | grep '^domu-inpool ')
	vline=$(vcpu_line domu-inpool 0)
	DETAIL="$DETAIL; pool=: '$(echo $line)' '$(echo $vline)'"
	xlt 60 destroy domu-inpool
	case "$line" in *orchid-renamed*) ;; *) return 1 ;; esac
	set -- $vline
	[ "$4" = "$last" ] || return 1
	a0=$(ticks domu-count 0)
	xlt 30 cpupool-migrate domu-count Pool-0 || { DETAIL="$DETAIL; migrate back failed"; return 1; }
	wait_until 30 ticks_grew_by domu-count 0 "$a0" 3 || { DETAIL="$DETAIL; no ticks back in Pool-0"; return 1; }
	xlt 30 cpupool-destroy orchid-renamed || { DETAIL="$DETAIL; destroy failed"; return 1; }
	xlt 30 cpupool-cpu-add Pool-0 "$last" || { DETAIL="$DETAIL; cpu-add failed"; return 1; }
	xlt 30 cpupool-list | show cpupool-list
	set -- $(pool_line Pool-0)
	DETAIL="$DETAIL; Pool-0 back to $2 pCPUs"
	[ "$2" = "$WANT_CPUS" ] && [ -z "$(pool_line orchid-renamed)" ]
}

# Move pCPUs $2... from Pool-0 into a new pool $1 running scheduler
# $SCHED; the pool line must name that scheduler.
pool_make() { # pool_make NAME CPU...
	_n=$1
	shift
	_cpus=""
	for _c in "$@"; do
		xlt 30 cpupool-cpu-remove Pool-0 "$_c" || { DETAIL="$DETAIL; cpu-remove $_c failed"; return 1; }
		_cpus="$_cpus${_cpus:+, }\"$_c\""
	done
	printf 'name = "%s"\nsched = "%s"\ncpus = [%s]\n' "$_n" "$SCHED" "$_cpus" > /tmp/$_n.cfg
	if ! capture /tmp/$_n.out 30 xl cpupool-create /tmp/$_n.cfg; then
		show cpupool-create /tmp/$_n.out
		DETAIL="$DETAIL; xl cpupool-create $SCHED failed"
		return 1
	fi
	set -- $(pool_line "$_n")
	DETAIL="$DETAIL; pool '$*'"
	[ "$3" = "$SCHED" ]
}

# Destroy pool $1 and give pCPUs $2... back to Pool-0 (whatever failed).
pool_unmake() { # pool_unmake NAME CPU...
	_n=$1
	shift
	xlt 30 cpupool-destroy "$_n" || DETAIL="$DETAIL; destroy $_n failed"
	for _c in "$@"; do
		xlt 30 cpupool-cpu-add Pool-0 "$_c" || DETAIL="$DETAIL; cpu-add $_c failed"
	done
	set -- $(pool_line Pool-0)
	[ "$2" = "$WANT_CPUS" ]
}

vcpu_cpu() { set -- $(vcpu_line "$1" "$2"); echo "$4"; }
vcpu_state() { set -- $(vcpu_line "$1" "$2"); echo "$5"; }
vcpu_blocked() { case "$(vcpu_state "$1" "$2")" in *b*) true ;; *) false ;; esac; }

# null (one vCPU per pCPU): a null pool of pCPUs 2 and 3 takes the
# running domu-count; each of its vCPUs gets a pCPU of its own and stays
# there (counters go on). A third vCPU (domu-wait, whose kernel only
# waits in WFI) created in the pool never runs (never blocked in its WFI)
# until domu-count leaves the pool; then it gets a pCPU and blocks.
null_pool_cycle() {
	SCHED=null pool_make null-pool 2 3 || return 1
	a0=$(ticks domu-count 0) a1=$(ticks domu-count 1)
	xlt 30 cpupool-migrate domu-count null-pool || { DETAIL="$DETAIL; migrate failed"; return 1; }
	wait_until 30 ticks_grew_by domu-count 0 "$a0" 3
	wait_until 30 ticks_grew_by domu-count 1 "$a1" 3
	p0=$(vcpu_cpu domu-count 0) p1=$(vcpu_cpu domu-count 1)
	sleep 3
	q0=$(vcpu_cpu domu-count 0) q1=$(vcpu_cpu domu-count 1)
	xlt 30 vcpu-list domu-count | show vcpu-list
	DETAIL="$DETAIL; domu-count v0 p$p0->p$q0 v1 p$p1->p$q1 ticks $a0->$(ticks domu-count 0) $a1->$(ticks domu-count 1)"
	case "$p0$p1" in 23|32) ;; *) return 1 ;; esac
	[ "$p0" = "$q0" ] && [ "$p1" = "$q1" ] || return 1
	ticks_grew_by domu-count 0 "$a0" 3 && ticks_grew_by domu-count 1 "$a1" 3 || return 1
	if ! capture /tmp/wait.out 90 xl create -p /etc/xen/domu-cycle.cfg 'name="domu-wait"' 'pool="null-pool"'; then
		show domu-wait /tmp/wait.out
		DETAIL="$DETAIL; xl create domu-wait failed"
		return 1
	fi
	xlt 30 unpause domu-wait
	sleep 3
	w=$(vcpu_line domu-wait 0)
	DETAIL="$DETAIL; waiting: '$(echo $w)'"
	vcpu_blocked domu-wait 0 && return 1
	xlt 30 cpupool-migrate domu-count Pool-0 || { DETAIL="$DETAIL; migrate back failed"; return 1; }
	wait_until 30 vcpu_blocked domu-wait 0
	w=$(vcpu_line domu-wait 0)
	DETAIL="$DETAIL; after domu-count left: '$(echo $w)'"
	set -- $w
	vcpu_blocked domu-wait 0 && case "$4" in 2|3) true ;; *) false ;; esac
}

check_cpupool_null() {
	DETAIL=""
	null_pool_cycle
	r=$?
	domain_exists domu-wait && xlt 60 destroy domu-wait
	xlt 30 cpupool-migrate domu-count Pool-0 2>/dev/null
	pool_unmake null-pool 2 3 || r=1
	return $r
}

# RTDS: an RTDS pool of pCPU 3; two CPU-bound DomUs (booted in Pool-0,
# then moved in): xl sched-rtds sets one to budget 2 ms / period 10 ms
# without extratime (values read back as set; 5 us refused by Xen's
# bounds), the other keeps Xen's defaults (4 ms / 10 ms, extratime). Over
# 10 s the budgeted one must get about 20 % of the pCPU time the two used
# (12 to 40 %: a budget ignored would give it 50 %), then with 20/100 ms
# 15 to 27 %.
rtds_pool_cycle() {
	SCHED=rtds pool_make rt-pool 3 || return 1
	for n in rt hog; do
		echo "  [spin] xl create -p domu-$n"
		if ! capture /tmp/spin-$n.out 90 xl create -p /etc/xen/domu-spin.cfg "name=\"domu-$n\"" 'cpus="all"'; then
			show spin-$n /tmp/spin-$n.out
			DETAIL="$DETAIL; xl create domu-$n failed"
			return 1
		fi
		xlt 30 unpause domu-$n
	done
	wait_until 90 log_has domu-rt ORCHID-DOMU-READY
	wait_until 90 log_has domu-hog ORCHID-DOMU-READY
	xlt 30 cpupool-migrate domu-rt rt-pool && xlt 30 cpupool-migrate domu-hog rt-pool ||
		{ DETAIL="$DETAIL; migrate failed"; return 1; }
	xlt 30 sched-rtds -d domu-rt -v all -p 10000 -b 2000 -e 0 || { DETAIL="$DETAIL; sched-rtds set failed"; return 1; }
	capture /tmp/rt.out 30 xl sched-rtds -d domu-rt -v all
	show sched-rtds /tmp/rt.out
	capture /tmp/hog.out 30 xl sched-rtds -d domu-hog -v 0
	show sched-rtds /tmp/hog.out
	set -- $(grep '^domu-rt ' /tmp/rt.out)
	DETAIL="$DETAIL; domu-rt: v$3 $4/$5 extra $6"
	[ "$3" = 0 ] && [ "$4" = 10000 ] && [ "$5" = 2000 ] && [ "$6" = no ] || return 1
	set -- $(grep '^domu-hog ' /tmp/hog.out)
	DETAIL="$DETAIL; domu-hog: $4/$5 extra $6"
	[ "$4" = 10000 ] && [ "$5" = 4000 ] && [ "$6" = yes ] || return 1
	if xlt 30 sched-rtds -d domu-rt -v 0 -p 5 -b 5 -e 0 2>/dev/null; then
		DETAIL="$DETAIL; period 5 us accepted"
		return 1
	fi
	xlt 30 vcpu-list | show vcpu-list
	rt_share 12 40 || return 1
	# The same 20 % in longer periods: a late timer weighs less.
	xlt 30 sched-rtds -d domu-rt -v all -p 100000 -b 20000 -e 0 || { DETAIL="$DETAIL; 20/100 ms failed"; return 1; }
	rt_share 15 27
}

# domu-rt's share (%) of the CPU time domu-rt and domu-hog used over
# 10 s, from two xl list calls, must be within $1..$2. An overrun of the
# budget (the slice timer fires late: TCG on a busy host) is not carried
# over, as on Xen: 2/10 ms measured 26 % and 35 % on a loaded host.
rt_share() { # rt_share MIN MAX
	xlt 30 list > /tmp/t0.out
	sleep 10
	xlt 30 list > /tmp/t1.out
	a=$(($(dom_time domu-rt /tmp/t1.out) - $(dom_time domu-rt /tmp/t0.out)))
	b=$(($(dom_time domu-hog /tmp/t1.out) - $(dom_time domu-hog /tmp/t0.out)))
	t=$((a + b))
	DETAIL="$DETAIL; CPU time over 10 s (0.1 s): budgeted $a, hog $b: $((a * 100 / (t > 0 ? t : 1))) %"
	[ "$t" -gt 50 ] && [ $((a * 100)) -ge $((t * $1)) ] && [ $((a * 100)) -le $((t * $2)) ]
}

# xl cpupool-numa-split on one NUMA node, as Xen 4.17's xl does it: with
# one pool it renames Pool-0 to Pool-node0 (every pCPU stays, nothing
# else changes); with two pools it refuses. Pool-0 gets its name back.
check_cpupool_numa_split() {
	before=$(echo $(pool_line Pool-0))
	capture /tmp/numa.out 60 xl cpupool-numa-split
	r=$?
	show numa-split /tmp/numa.out
	xlt 30 cpupool-list | show cpupool-list
	after=$(echo $(pool_line Pool-node0))
	n=$(xlt 30 cpupool-list | grep -vc '^Name')
	DETAIL="exit $r; before '$before'; after '$after'; $n pool(s)"
	xlt 30 cpupool-rename Pool-node0 Pool-0 || { DETAIL="$DETAIL; rename back failed"; return 1; }
	[ "$r" = 0 ] && [ "$n" = 1 ] && [ "${after#Pool-node0 }" = "${before#Pool-0 }" ] || return 1
	# A second pool: splitting is refused and nothing changes.
	xlt 30 cpupool-cpu-remove Pool-0 $((WANT_CPUS - 1)) || { DETAIL="$DETAIL; cpu-remove failed"; return 1; }
	printf 'name = "split-pool"\nsched = "credit2"\ncpus = ["%s"]\n' \
		$((WANT_CPUS - 1)) > /tmp/split.cfg
	xlt 30 cpupool-create /tmp/split.cfg || { DETAIL="$DETAIL; create failed"; return 1; }
	capture /tmp/numa2.out 60 xl cpupool-numa-split
	r2=$?
	show numa-split-2 /tmp/numa2.out
	DETAIL="$DETAIL; with two pools exit $r2 '$(cat /tmp/numa2.out)'"
	xlt 30 cpupool-destroy split-pool
	xlt 30 cpupool-cpu-add Pool-0 $((WANT_CPUS - 1))
	[ "$r2" != 0 ] && grep -q "already cpupools in use" /tmp/numa2.out &&
		[ -n "$(pool_line Pool-0)" ]
}

check_cpupool_rtds() {
	DETAIL=""
	rtds_pool_cycle
	r=$?
	xlt 60 destroy domu-rt
	xlt 60 destroy domu-hog
	pool_unmake rt-pool 3 || r=1
	return $r
}

# credit1: a credit pool of pCPU 3. xl sched-credit -s -t/-r on it read
# back, a rate limit above the slice refused; two CPU-bound DomUs moved in
# with weights 256 and 512 (read back) get CPU time 1:2 (1.6 to 2.5) over
# 10 s; the heavier capped at 25 % then gets 15 to 35 % of the pCPU time
# the two used (67 % if the cap were ignored).
credit_pool_cycle() {
	SCHED=credit pool_make cr-pool 3 || return 1
	xlt 30 sched-credit -p cr-pool -s -t 10 -r 500 || { DETAIL="$DETAIL; -s -t 10 -r 500 failed"; return 1; }
	capture /tmp/crs.out 30 xl sched-credit -p cr-pool -s
	show sched-credit-s /tmp/crs.out
	DETAIL="$DETAIL; -s: '$(echo $(cat /tmp/crs.out))'"
	grep -q 'tslice=10ms' /tmp/crs.out && grep -q 'ratelimit=500us' /tmp/crs.out || return 1
	if xlt 30 sched-credit -p cr-pool -s -t 1 -r 2000 2>/dev/null; then
		DETAIL="$DETAIL; ratelimit 2 ms over a 1 ms slice accepted"
		return 1
	fi
	xlt 30 sched-credit -p cr-pool -s -t 30 -r 1000 || { DETAIL="$DETAIL; -s -t 30 -r 1000 failed"; return 1; }
	for n in a b; do
		echo "  [spin] xl create -p domu-cr-$n"
		if ! capture /tmp/spin-$n.out 90 xl create -p /etc/xen/domu-spin.cfg "name=\"domu-cr-$n\"" 'cpus="all"'; then
			show spin-$n /tmp/spin-$n.out
			DETAIL="$DETAIL; xl create domu-cr-$n failed"
			return 1
		fi
		xlt 30 unpause domu-cr-$n
	done
	wait_until 90 log_has domu-cr-a ORCHID-DOMU-READY
	wait_until 90 log_has domu-cr-b ORCHID-DOMU-READY
	xlt 30 cpupool-migrate domu-cr-a cr-pool && xlt 30 cpupool-migrate domu-cr-b cr-pool ||
		{ DETAIL="$DETAIL; migrate failed"; return 1; }
	xlt 30 sched-credit -d domu-cr-a -w 256 && xlt 30 sched-credit -d domu-cr-b -w 512 ||
		{ DETAIL="$DETAIL; -w failed"; return 1; }
	capture /tmp/crd.out 30 xl sched-credit -d domu-cr-b
	show sched-credit /tmp/crd.out
	set -- $(grep '^domu-cr-b ' /tmp/crd.out)
	DETAIL="$DETAIL; domu-cr-b: weight $3 cap $4"
	[ "$3" = 512 ] && [ "$4" = 0 ] || return 1
	xlt 30 vcpu-list | show vcpu-list
	cr_share 256 512 || return 1
	xlt 30 sched-credit -d domu-cr-b -c 25 || { DETAIL="$DETAIL; -c 25 failed"; return 1; }
	cr_share cap25
}

# CPU time of domu-cr-a and domu-cr-b over 10 s from two xl list calls:
# "256 512": b/a within 1.6..2.5; "cap25": b's share 15..35 %.
cr_share() {
	xlt 30 list > /tmp/t0.out
	sleep 10
	xlt 30 list > /tmp/t1.out
	a=$(($(dom_time domu-cr-a /tmp/t1.out) - $(dom_time domu-cr-a /tmp/t0.out)))
	b=$(($(dom_time domu-cr-b /tmp/t1.out) - $(dom_time domu-cr-b /tmp/t0.out)))
	t=$((a + b))
	DETAIL="$DETAIL; $*: CPU time over 10 s (0.1 s): a $a, b $b"
	[ "$t" -gt 50 ] && [ "$a" -gt 0 ] || return 1
	case "$1" in
	cap25) [ $((b * 100)) -ge $((t * 15)) ] && [ $((b * 100)) -le $((t * 35)) ] ;;
	*) [ $((b * 10)) -ge $((a * 16)) ] && [ $((b * 10)) -le $((a * 25)) ] ;;
	esac
}

check_cpupool_credit() {
	DETAIL=""
	credit_pool_cycle
	r=$?
	domain_exists domu-cr-a && xlt 60 destroy domu-cr-a
	domain_exists domu-cr-b && xlt 60 destroy domu-cr-b
	pool_unmake cr-pool 3 || r=1
	return $r
}

# ARINC 653: an arinc653 pool of pCPU 3 takes two CPU-bound DomUs (booted
# in Pool-0); a653_sched (Debian's xl has no sched-arinc653) installs a
# 200 ms major frame of 40 ms for domu-ar-a and 160 ms for domu-ar-b
# through XEN_SYSCTL_scheduler_op and reads it back; over 10 s domu-ar-a
# must get 12 to 30 % of the CPU time the two used (50 % without the
# frame). A switch timer late by L gives it (40 + L) / (200 + L), as on Xen
# (a late frame restarts late): 20/80 ms measured 23 % and 27 % at load 11.
a653_pool_cycle() {
	SCHED=arinc653 pool_make a653-pool 3 || return 1
	for n in a b; do
		echo "  [spin] xl create -p domu-ar-$n"
		if ! capture /tmp/spin-$n.out 90 xl create -p /etc/xen/domu-spin.cfg "name=\"domu-ar-$n\"" 'cpus="all"'; then
			show spin-$n /tmp/spin-$n.out
			DETAIL="$DETAIL; xl create domu-ar-$n failed"
			return 1
		fi
		xlt 30 unpause domu-ar-$n
	done
	wait_until 90 log_has domu-ar-a ORCHID-DOMU-READY
	wait_until 90 log_has domu-ar-b ORCHID-DOMU-READY
	xlt 30 cpupool-migrate domu-ar-a a653-pool && xlt 30 cpupool-migrate domu-ar-b a653-pool ||
		{ DETAIL="$DETAIL; migrate failed"; return 1; }
	a=$(xlt 30 domid domu-ar-a) b=$(xlt 30 domid domu-ar-b)
	capture /tmp/a653.out 30 a653_sched "$a" 40 "$b" 160
	r=$?
	show a653_sched /tmp/a653.out
	DETAIL="$DETAIL; a653_sched exit $r: $(grep -c 'rc=0' /tmp/a653.out) calls ok"
	[ $r = 0 ] || return 1
	xlt 30 list > /tmp/t0.out
	sleep 10
	xlt 30 list > /tmp/t1.out
	a=$(($(dom_time domu-ar-a /tmp/t1.out) - $(dom_time domu-ar-a /tmp/t0.out)))
	b=$(($(dom_time domu-ar-b /tmp/t1.out) - $(dom_time domu-ar-b /tmp/t0.out)))
	t=$((a + b))
	DETAIL="$DETAIL; CPU time over 10 s (0.1 s): 40 ms window $a, 160 ms window $b"
	[ "$t" -gt 50 ] && [ $((a * 100)) -ge $((t * 12)) ] && [ $((a * 100)) -le $((t * 30)) ]
}

check_cpupool_arinc653() {
	DETAIL=""
	a653_pool_cycle
	r=$?
	domain_exists domu-ar-a && xlt 60 destroy domu-ar-a
	domain_exists domu-ar-b && xlt 60 destroy domu-ar-b
	pool_unmake a653-pool 3 || r=1
	return $r
}

# ---- 5: two DomUs at once, xl dmesg ------------------------------------------

check_two_domus() {
	capture /tmp/crash.out 90 xl create /etc/xen/domu-crash.cfg
	r=$?
	show domu-crash /tmp/crash.out
	if [ $r != 0 ]; then
		DETAIL="xl create domu-crash exit $r"
		return 1
	fi
	a0=$(ticks domu-count 0) a1=$(ticks domu-count 1)
	if ! wait_until 120 log_has domu-crash '^ORCHID-DOMU-READY mode=crash'; then
		DETAIL="no ORCHID-DOMU-READY in domu-crash's console log within 120 s"
		return 1
	fi
	wait_until 20 ticks_grew domu-count "$a0" "$a1"
	grew=$?
	n=$(xlt 30 list 2>/dev/null | grep -c '^domu-')
	DETAIL="$n DomUs in xl list; domu-count ticks cpu0 $a0->$(ticks domu-count 0), cpu1 $a1->$(ticks domu-count 1)"
	# Each console log holds its own DomU's output only.
	log_has domu-count 'mode=crash' && DETAIL="$DETAIL; domu-crash's output in domu-count's log" && return 1
	log_has domu-crash 'mode=count' && DETAIL="$DETAIL; domu-count's output in domu-crash's log" && return 1
	[ "$n" = 2 ] && [ $grew = 0 ]
}

check_dmesg() {
	capture /tmp/dmesg.out 60 xl dmesg
	r=$?
	lines=$(grep -c '^(XEN) ' /tmp/dmesg.out)
	who=$(grep -m 1 -E '^\(XEN\) .*(Orchid|Xen version)' /tmp/dmesg.out)
	DETAIL="exit $r, $lines (XEN) lines, '$who'"
	[ $r = 0 ] && [ "$lines" -gt 0 ] && [ -n "$who" ]
}

# ---- hypfs, runtime parameters, debug keys (issue 12) ---------------------------

# xenhypfs ls/cat/tree: /buildinfo/ and /params/ as Xen 4.17 lays them out.
check_hypfs() {
	capture /tmp/hypfs-ls.out 30 xenhypfs ls /
	r=$?
	major=$(timeout 30 xenhypfs cat /buildinfo/version/major 2>&1)
	timeout 30 xenhypfs cat /buildinfo/config > /tmp/hypfs-config.out 2>&1
	c=$?
	timeout 30 xenhypfs tree > /tmp/hypfs-tree.out 2>&1
	t=$?
	lines=$(grep -c '^CONFIG_' /tmp/hypfs-config.out)
	DETAIL="ls exit $r: $(tr '\n' ' ' < /tmp/hypfs-ls.out); major '$major'; config exit $c, $lines CONFIG_ lines; tree exit $t, $(wc -l < /tmp/hypfs-tree.out) lines"
	[ $r = 0 ] && grep -q buildinfo /tmp/hypfs-ls.out &&
		grep -q params /tmp/hypfs-ls.out && [ "$major" = 4 ] &&
		[ $c = 0 ] && [ "$lines" -gt 0 ] && [ $t = 0 ] &&
		grep -q loglvl /tmp/hypfs-tree.out
}

# xl set-parameters and xenhypfs write change loglvl, hypfs shows it.
check_set_parameters() {
	timeout 30 xl set-parameters loglvl=all > /tmp/setp.out 2>&1
	r=$?
	all=$(timeout 30 xenhypfs cat /params/loglvl 2>&1)
	timeout 30 xenhypfs write /params/loglvl info > /tmp/hwrite.out 2>&1
	w=$?
	info=$(timeout 30 xenhypfs cat /params/loglvl 2>&1)
	DETAIL="set-parameters exit $r ($(head -c 120 /tmp/setp.out)), loglvl '$all'; write exit $w, loglvl '$info'"
	[ $r = 0 ] && [ "$all" = all/all ] && [ $w = 0 ] && [ "$info" = info/info ]
}

# xl debug-keys: each key's dump reaches xl dmesg.
check_debug_keys() {
	timeout 30 xl dmesg -c > /dev/null 2>&1
	r=0
	for k in h q e g m 0 r; do # xl takes one argument: the keys
		timeout 30 xl debug-keys $k >> /tmp/keys.out 2>&1 || r=$?
	done
	capture /tmp/keys-dmesg.out 60 xl dmesg
	DETAIL="exit $r"
	for want in "showing installed handlers" "General information for domain 0" \
		"dumping event-channel info" "gnttab_usage_print_all" \
		"Physical memory information" "Dumping Dom0 vcpu#0 state" \
		"Cpupool 0:" "Scheduler: "; do
		grep -q "$want" /tmp/keys-dmesg.out || {
			DETAIL="$DETAIL; no '$want' in xl dmesg"
			return 1
		}
	done
	[ $r = 0 ]
}

# ---- live patching (issue 12) -----------------------------------------------

# lp ARGS...: Debian's xen-livepatch, its output kept in /tmp/lp.out.
lp() {
	echo "# xen-livepatch $*" >> /tmp/lp.out
	timeout -s KILL 60 xen-livepatch "$@" >> /tmp/lp.out 2>&1
}

# lp_act ACTION NAME: xen-livepatch ACTION NAME, tried again while it fails
# with EBUSY: the pCPUs did not all gather within xen-livepatch's 30 ms (on
# TCG with vCPU threads waiting for a busy host), and then the payload must
# have kept its state. LP_BUSY counts those.
lp_act() {
	_before=$(lp_state $2)
	for _try in 1 2 3 4 5 6 7 8 9 10; do
		lp $1 $2 && return 0
		tail -n 1 /tmp/lp.out | grep -q '^Error 16:' || return 1
		[ "$(lp_state $2)" = "$_before" ] || {
			echo "# $2 changed state after EBUSY" >> /tmp/lp.out
			return 1
		}
		LP_BUSY=$((LP_BUSY + 1))
	done
	return 1
}

# lp_state NAME: the state `xen-livepatch list` shows for NAME.
lp_state() {
	timeout -s KILL 60 xen-livepatch list 2>&1 |
		sed -n "s/^$1  *| \([A-Z]*\).*/\1/p"
}

# lp_expect WHAT WANT GOT: one step's outcome; the first mismatch is the
# check's DETAIL.
lp_expect() {
	[ "$2" = "$3" ] && return 0
	DETAIL="$1: want '$2', got '$3'; $(tail -n 4 /tmp/lp.out | tr '\n' ' ')"
	return 1
}

# lp_refused NAME FILE ERROR: uploading /livepatch/FILE.livepatch fails
# with ERROR (xen-livepatch prints errno; its exit status is just 1).
lp_refused() {
	lp upload $1 /livepatch/$2.livepatch
	lp_expect "upload of $2 fails" 1 $? &&
		lp_expect "upload of $2's error" "$3" \
			"$(tail -n 1 /tmp/lp.out | cut -d' ' -f1,2)"
}

# xl list in a loop while payloads apply and revert: it must never fail.
lp_list_loop() {
	: > /tmp/lp-xl.fail
	while [ -e /tmp/lp-xl.run ]; do
		xlt 30 list > /dev/null 2>&1 || echo x >> /tmp/lp-xl.fail
	done
}

# The echo DomU answering an event-channel ping loop from Dom0 (hypercalls
# on both sides, each round trip within a second or the ping exits 1), to
# run across the live patching; PING_PID is the pinging process.
lp_start_pingpong() {
	capture /tmp/lp-echo.out 90 xl create /etc/xen/domu-echo.cfg &&
		wait_until 90 log_has domu-echo '^PINGPONG-ECHO port=' || return 1
	_d=$(xlt 30 domid domu-echo)
	_p=$(timeout -s KILL 20 xenstore-read "/local/domain/$_d/data/pingpong-port")
	evtchn_pingpong ping "$_d" "$_p" 1000000000 > /tmp/lp-ping.out 2>&1 &
	PING_PID=$!
	sleep 2
	kill -0 $PING_PID 2>/dev/null
}

# lp_hooks_seen: LOADS:UNLOADS, how many times the example payload's load
# and unload hooks (.livepatch.hooks.load/unload) logged in xl dmesg.
lp_hooks_seen() {
	xlt 30 dmesg > /tmp/lp-dmesg.out 2>&1
	echo "$(grep -c 'xen_extra load hook' /tmp/lp-dmesg.out):$(grep -c 'xen_extra unload hook' /tmp/lp-dmesg.out)"
}

# Debian's xen-livepatch with payloads of `make livepatch` (tools/
# fetch-guest.sh puts them in /livepatch): upload, list, apply (xl info's
# xen_extra changes), revert, replace, unload; damaged payloads refused
# with EINVAL (another build-id, truncated) and EOVERFLOW (relocation out
# of range). The example's load/unload hooks log in xl dmesg at each apply
# and revert (replace included). Each apply's pCPU hold time is in xl dmesg.
check_livepatch() {
	L=/livepatch
	LP_BUSY=0
	: > /tmp/lp.out
	orig=$(xl_info_field xen_extra)
	touch /tmp/lp-xl.run
	lp_list_loop &
	loop=$!
	PING_PID=""
	lp_start_pingpong
	lp_expect "domu-echo ping loop running" 0 $? &&
		{ lp upload lp1 $L/xen_extra.livepatch; lp_expect "upload lp1" 0 $?; } &&
		lp_expect "list lp1" CHECKED "$(lp_state lp1)" &&
		{ lp_act apply lp1; lp_expect "apply lp1" 0 $?; } &&
		lp_expect "xen_extra applied" .0-orchid-lp "$(xl_info_field xen_extra)" &&
		lp_expect "list lp1" APPLIED "$(lp_state lp1)" &&
		lp_expect "load hooks run after apply" 1:0 "$(lp_hooks_seen)" &&
		{ lp_act revert lp1; lp_expect "revert lp1" 0 $?; } &&
		lp_expect "xen_extra reverted" "$orig" "$(xl_info_field xen_extra)" &&
		lp_expect "list lp1" CHECKED "$(lp_state lp1)" &&
		lp_expect "hooks run after revert" 1:1 "$(lp_hooks_seen)" &&
		{ lp_act apply lp1; lp_expect "apply lp1 again" 0 $?; } &&
		{ lp upload lp2 $L/livepatch-extra2.livepatch; lp_expect "upload lp2" 0 $?; } &&
		{ lp_act replace lp2; lp_expect "replace by lp2" 0 $?; } &&
		lp_expect "hooks run after replace (lp1's unload)" 2:2 "$(lp_hooks_seen)" &&
		lp_expect "xen_extra replaced" .0-orchid-lp2 "$(xl_info_field xen_extra)" &&
		lp_expect "list lp1 after replace" CHECKED "$(lp_state lp1)" &&
		lp_expect "list lp2 after replace" APPLIED "$(lp_state lp2)" &&
		{ lp unload lp2; lp_expect "unload of applied lp2 (xen-livepatch: wrong state)" 1 $?; } &&
		{ lp_act revert lp2; lp_expect "revert lp2" 0 $?; } &&
		lp_expect "xen_extra at the end" "$orig" "$(xl_info_field xen_extra)" &&
		{ lp unload lp1; lp_expect "unload lp1" 0 $?; } &&
		{ lp unload lp2; lp_expect "unload lp2" 0 $?; } &&
		lp_expect "list after unload" "" "$(lp_state 'lp[12]')" &&
		lp_refused bad1 other-build-id "Error 22:" &&
		lp_refused bad2 truncated "Error 22:" &&
		lp_refused bad3 reloc-range "Error 75:" &&
		lp_expect "list after refusals" "Nothing to list" "$(timeout 60 xen-livepatch list 2>&1)"
	r=$?
	rm -f /tmp/lp-xl.run
	wait $loop
	# Still pinging: no round trip failed or stalled meanwhile.
	alive=1
	[ -n "$PING_PID" ] && kill -0 $PING_PID 2>/dev/null && alive=0
	[ -n "$PING_PID" ] && kill $PING_PID 2>/dev/null
	xlt 60 destroy domu-echo > /dev/null 2>&1
	[ $r = 0 ] || return 1
	lp_expect "ping loop alive after patching" 0 $alive ||
		{ DETAIL="$DETAIL; $(head -c 200 /tmp/lp-ping.out)"; return 1; }
	lp_expect "xl list failures meanwhile" 0 "$(wc -l < /tmp/lp-xl.fail)" ||
		return 1
	held=$(xlt 30 dmesg | sed -n 's/.*livepatch: .*: \(pCPUs held .*\)/\1/p' |
		tr '\n' ';')
	DETAIL="EBUSY retries $LP_BUSY; $held"
}

# Debian's xentrace records two seconds of everything (-e all) into a file:
# Orchid's trace buffers, mapped as DOMID_XEN's pages. The file is Xen's
# record stream (xentrace's CPU-change records, then each buffer's
# records); walking it, records must include scheduler switches,
# hypercalls and interrupts, and end exactly at the end of the file.
check_xentrace() {
	rm -f /tmp/trace.bin
	timeout 60 xentrace -D -e all -S 32 -T 2 /tmp/trace.bin \
		> /tmp/xentrace.out 2>&1
	r=$?
	od -A n -t u4 -v /tmp/trace.bin 2>/dev/null | awk '
		{ for (i = 1; i <= NF; i++) w[n++] = $i }
		END {
			while (p < n) {
				h = w[p]; ev = h % 268435456
				x = int(h / 268435456) % 8; c = int(h / 2147483648)
				if (ev == 126979) cpu++       # TRC_TRACE_CPU_CHANGE
				else if (ev == 163850) sw++   # TRC_SCHED_SWITCH
				else if (ev == 2101261) hc++  # TRC_PV_HYPERCALL_V2
				else if (ev == 8396808) irq++ # TRC_HW_IRQ_HANDLED
				recs++; p += 1 + 2 * c + x
			}
			printf "words=%d records=%d cpu_change=%d switch=%d hypercall=%d irq=%d end=%s\n", n, recs, cpu, sw, hc, irq, (p == n ? "exact" : "overrun")
		}' > /tmp/trace.sum
	DETAIL="exit $r ($(tr '\n' ' ' < /tmp/xentrace.out | head -c 200)); $(cat /tmp/trace.sum)"
	[ $r = 0 ] && grep -q "end=exact" /tmp/trace.sum &&
		grep -q "cpu_change=[1-9]" /tmp/trace.sum &&
		grep -q "switch=[1-9]" /tmp/trace.sum &&
		grep -q "hypercall=[1-9]" /tmp/trace.sum &&
		grep -q "irq=[1-9]" /tmp/trace.sum
}

# A DomU's xenwatchdogd arms, pets and disarms its watchdog; killed, it
# lets the watchdog expire: the domain goes down with reason watchdog (4).
check_watchdog() {
	timeout 30 xl dmesg -c > /dev/null 2>&1
	if ! capture /tmp/watchdog.out 90 xl create /etc/xen/domu-watchdog.cfg; then
		DETAIL="xl create domu-watchdog failed"
		show xl /tmp/watchdog.out
		return 1
	fi
	wait_until 60 log_has domu-watchdog ORCHID-DOMU-WATCHDOG-PETTED
	p=$?
	wait_until 30 log_has domu-watchdog ORCHID-DOMU-WATCHDOG-DISARMED
	d=$?
	wait_until 60 domain_gone domu-watchdog
	g=$?
	xl_log=/var/log/xen/xl-domu-watchdog.log
	reason=$(sed -n 's/.*has shut down, reason code \([0-9]*\) .*/\1/p' "$xl_log" | tail -n 1)
	capture /tmp/wd-dmesg.out 60 xl dmesg
	fired=$(grep -c 'Watchdog timer fired for domain' /tmp/wd-dmesg.out)
	DETAIL="petted past its timeout: $([ $p = 0 ] && echo yes || echo no), alive after disarm: $([ $d = 0 ] && echo yes || echo no), gone: $([ $g = 0 ] && echo yes || echo no), xl: reason code '$reason', xl dmesg: $fired 'Watchdog timer fired'"
	if [ $g != 0 ] || [ $p != 0 ]; then
		tail -n 20 "$(console_log domu-watchdog)" | show console
		xlt 30 destroy domu-watchdog
	fi
	[ $p = 0 ] && [ $d = 0 ] && [ $g = 0 ] && [ "$reason" = 4 ] && [ "$fired" -ge 1 ]
}

# ---- 6: a DomU crashes -----------------------------------------------------------

check_crash() {
	if ! wait_until 90 domain_gone domu-crash; then
		DETAIL="domu-crash still in xl list 90 s after it was started"
		tail -n 20 "$(console_log domu-crash)" | show console
		xlt 30 destroy domu-crash
		return 1
	fi
	tr -d '\r' < "$(console_log domu-crash)" |
		grep -E 'CRASHING|sysrq|Kernel panic|[Rr]ebooting' | show domu-crash
	xl_log=/var/log/xen/xl-domu-crash.log
	show xl-domu-crash "$xl_log"
	# xl's own account: "Domain N has shut down, reason code R 0xR", then
	# "Action for shutdown reason code R is ACTION" (from on_crash=,
	# on_reboot=, ...).
	reason=$(sed -n 's/.*has shut down, reason code \([0-9]*\) .*/\1/p' "$xl_log" | tail -n 1)
	action=$(sed -n 's/.*Action for shutdown reason code [0-9]* is \([a-z-]*\).*/\1/p' "$xl_log" | tail -n 1)
	a0=$(ticks domu-count 0) a1=$(ticks domu-count 1)
	wait_until 20 ticks_grew domu-count "$a0" "$a1"
	grew=$?
	DETAIL="domu-crash gone; xl: shutdown reason code '$reason', action '$action'; domu-count ticks cpu0 $a0->$(ticks domu-count 0), cpu1 $a1->$(ticks domu-count 1)"
	if ! log_has domu-crash 'Kernel panic'; then
		DETAIL="$DETAIL; no kernel panic on its console"
		return 1
	fi
	# Linux/arm64 has no Xen panic notifier: its panic restarts the domain
	# (panic=1: SHUTDOWN_reboot, code 1) where x86 reports SHUTDOWN_crash
	# (3); domu-crash.cfg destroys it for both.
	case "$reason" in 1 | 3) ;; *) return 1 ;; esac
	[ "$action" = destroy ] && [ $grew = 0 ] && domain_exists domu-count
}

# ---- 4: destroy, memory back, create/destroy cycles -------------------------------

check_destroy() {
	xlt 60 destroy domu-count
	r=$?
	if ! wait_until 30 domain_gone domu-count; then
		DETAIL="xl destroy exit $r, domu-count still listed"
		return 1
	fi
	# Every DomU so far is gone (hello, count, crash): the memory must be
	# back to what it was before the first one, but for the few pages of
	# bookkeeping the first DomUs since boot may leave allocated (Xen 4.17
	# keeps about 20): up to 64 pages (256 KiB).
	free_back_to "$FREE_BOOT" 64
	ok=$?
	DETAIL="xl destroy exit $r; free memory $FREE_BOOT before the first DomU, $FREE_NOW after the last"
	[ $r = 0 ] && [ $ok = 0 ]
}

check_cycles() {
	free0=$(free_now)
	i=1
	while [ $i -le "$CYCLES" ]; do
		if ! capture /tmp/cycle.out 60 xl create -p /etc/xen/domu-cycle.cfg; then
			show cycle /tmp/cycle.out
			DETAIL="cycle $i: xl create -p failed"
			xlt 30 destroy domu-cycle
			return 1
		fi
		if ! xlt 60 destroy domu-cycle || domain_exists domu-cycle; then
			DETAIL="cycle $i: xl destroy failed"
			return 1
		fi
		echo "  [cycle] $i of $CYCLES done, uptime $(uptime_s)"
		i=$((i + 1))
	done
	# In steady state the memory comes back, but for the odd page of
	# bookkeeping (Xen 4.17 keeps one now and then): a leak of even one
	# page per cycle (10) fails.
	free_back_to "$free0" 8
	ok=$?
	DETAIL="$CYCLES create/destroy cycles; free memory $free0 before, $FREE_NOW after"
	return $ok
}

# ---- vuart = "sbsa_uart": the vpl011 served by xenconsoled ---------------------

vuart_out_has() { tr -d '\r' < /tmp/vuart.out 2>/dev/null | grep -q "$1"; }

# A Linux DomU whose only console is its vpl011 (console=ttyAMA0):
# `xl console -t vuart` relays its boot (xenconsoled's ring, mapped from
# the page XEN_DOMCTL_vuart_op named); a line written to the same pty
# (xenstore's vuart/0/tty, where xl console writes what it is typed: it
# forwards input only from a terminal, which this script has not) reaches
# the DomU's shell and comes back. Then destroyed: free memory back.
check_vuart() {
	free0=$(free_now)
	if ! capture /tmp/vuart-create.out 90 xl create /etc/xen/domu-vuart.cfg; then
		show domu-vuart /tmp/vuart-create.out
		DETAIL="xl create domu-vuart failed"
		return 1
	fi
	domid=$(xlt 30 domid domu-vuart)
	tty=$(timeout -s KILL 20 xenstore-read "/local/domain/$domid/vuart/0/tty")
	timeout -s KILL 240 xl console -t vuart domu-vuart < /dev/null > /tmp/vuart.out 2>&1 &
	con=$!
	wait_until 180 vuart_out_has '^ORCHID-DOMU-VUART-ASK'
	asked=$?
	boot=$(tr -d '\r' < /tmp/vuart.out | grep -c -e 'Booting Linux' -e 'ttyAMA0')
	[ $asked = 0 ] && printf 'typed into the vuart\r' > "$tty"
	wait_until 30 vuart_out_has "^ORCHID-DOMU-VUART-GOT 'typed into the vuart'"
	got=$?
	kill $con 2>/dev/null
	wait $con 2>/dev/null
	show vuart /tmp/vuart.out
	# In the background: a destroy that blocks shows as waiting lines.
	echo "  [vuart] xl destroy domu-vuart, uptime $(uptime_s)"
	xlt 60 destroy domu-vuart &
	wait_until 90 domain_gone domu-vuart
	gone=$?
	wait $!
	echo "  [vuart] xl destroy exit $?, uptime $(uptime_s)"
	# The ring page's reference goes with the domain: even one page kept
	# would show (the first DomUs since boot may keep a few pages of
	# bookkeeping, as in domu-destroy: up to 64).
	free_back_to "$free0" 64
	ok=$?
	log=$(console_log domu-vuart-vuart0)
	DETAIL="domid $domid, tty '$tty', $(wc -l < /tmp/vuart.out) lines from xl console -t vuart ($boot boot lines), asked $asked, echoed $got, xenconsoled log $(wc -l < "$log" 2>/dev/null) lines, gone $gone, free memory $free0 before, $FREE_NOW after"
	[ $asked = 0 ] && [ "$boot" -gt 0 ] && [ $got = 0 ] && [ $gone = 0 ] &&
		[ $ok = 0 ] && vuart_cycles
}

# Paused creations (the vuart is set up before the first unpause) and
# destructions of domu-cycle (its 4 KiB kernel) with a vuart: a page kept
# per cycle would leak 10.
vuart_cycles() {
	free0=$(free_now)
	i=1
	while [ $i -le 10 ]; do
		if ! capture /tmp/vuart-cycle.out 60 xl create -p \
			/etc/xen/domu-cycle.cfg 'name="domu-vuart-cycle"' \
			'vuart="sbsa_uart"' ||
			! xlt 60 destroy domu-vuart-cycle; then
			show vuart-cycle /tmp/vuart-cycle.out
			DETAIL="$DETAIL; paused cycle $i failed"
			xlt 30 destroy domu-vuart-cycle
			return 1
		fi
		echo "  [vuart] paused cycle $i of 10 done, uptime $(uptime_s)"
		i=$((i + 1))
	done
	free_back_to "$free0" 8
	ok=$?
	DETAIL="$DETAIL; 10 paused create/destroy cycles: $free0 before, $FREE_NOW after"
	return $ok
}

# ---- hostile DomU: the guest-safety regressions (tests/guest/grant_attack.c) --

# Dom0's uptime in hundredths of a second.
now_cs() { read -r u _ < /proc/uptime; echo "${u%.*}${u#*.}"; }

attack_lines() { # attack_lines PATTERN: matching lines of its console log
	tr -d '\r' < "$(console_log domu-attack)" 2>/dev/null | grep "$1"
}

# Item 1: a self-granted page mapped at G1 is unmapped only at G1.
check_hostile_unmap() {
	if ! capture /tmp/attack.out 90 xl create /etc/xen/domu-attack.cfg; then
		show domu-attack /tmp/attack.out
		DETAIL="xl create domu-attack failed"
		return 1
	fi
	if ! wait_until 120 log_has domu-attack '^GRANT-ATTACK RESULT'; then
		DETAIL="no GRANT-ATTACK RESULT from domu-attack within 120 s"
		tail -n 20 "$(console_log domu-attack)" 2>/dev/null | show console
		return 1
	fi
	attack_lines '^GRANT-ATTACK' | show domu-attack
	DETAIL=$(attack_lines '^GRANT-ATTACK unmap' | sed 's/GRANT-ATTACK //' |
		tr '\n' ' ')
	log_has domu-attack '^GRANT-ATTACK RESULT PASS'
}

# Item 4: grant mappings 2 MiB apart, each needing a stage-2 table page,
# stop at the DomU's table pool (libxl: 2.5 MiB for this 256 MiB DomU, 640
# pages), with GNTST_general_error, long before the 960 asked for (a
# hypervisor without the bound takes every table page from host memory);
# everything mapped unmaps.
check_hostile_table_pool() {
	free0=$(free_pages)
	if ! wait_until 120 log_has domu-attack '^SPREAD '; then
		DETAIL="no SPREAD line from domu-attack within 120 s"
		return 1
	fi
	line=$(attack_lines '^SPREAD ' | head -n 1)
	echo "$line" | show domu-attack
	maps=$(echo "$line" | sed -n 's/.*maps=\([0-9]*\).*/\1/p')
	unmapped=$(echo "$line" | sed -n 's/.*unmapped=\([0-9]*\).*/\1/p')
	DETAIL="${line#SPREAD }; free pages at the DomU's start $free0"
	[ -n "$maps" ] && [ "$maps" -gt 0 ] && [ "$maps" -lt 960 ] &&
		[ "$unmapped" = "$maps" ] &&
		echo "$line" | grep -q 'first_error=-1 '
}

# Item 3: while the DomU issues a GNTTABOP_copy of 1,000,000 segments, then
# a multicall of 8 such copies, again and again, Dom0 can still pause it
# (which waits until its vCPU leaves the hypervisor) and list domains, each
# within 10 s, until both kinds of call have completed cleanly.
storm_done() {
	[ "$(attack_lines '^STORM call=.* kind=copy .* bad=0$' | wc -l)" -gt 0 ] &&
		[ "$(attack_lines '^STORM call=.* kind=multicall .* bad=0$' |
			wc -l)" -gt 0 ]
}

check_hostile_storm() {
	if ! wait_until 120 log_has domu-attack '^STORM start'; then
		DETAIL="no STORM start from domu-attack within 120 s"
		return 1
	fi
	worst=0 steps="" rounds=0 end=$(($(now_s) + 300))
	while ! storm_done && [ "$(now_s)" -lt $end ]; do
		for step in "pause domu-attack" "unpause domu-attack" list; do
			t0=$(now_cs)
			# shellcheck disable=SC2086
			xlt 60 $step > /dev/null 2>&1
			r=$?
			t=$(($(now_cs) - t0))
			[ $t -gt $worst ] && worst=$t
			if [ $r != 0 ]; then
				# The DomU powers off once its storm is done; a
				# step racing with that finds no domain: not a
				# failure if the storm's results are all in.
				wait_until 5 storm_done &&
					domain_gone domu-attack && break 2
				steps="$steps xl $step exit $r;"
			fi
		done
		rounds=$((rounds + 1))
		[ $((rounds % 10)) = 0 ] &&
			echo "  [storm] $rounds rounds, slowest xl step $worst cs"
		sleep 1
	done
	attack_lines '^STORM call=' | show domu-attack
	xlt 60 destroy domu-attack
	wait_until 30 domain_gone domu-attack
	DETAIL="slowest of $rounds rounds of xl pause/unpause/list $((worst / 100)).$((worst % 100 / 10))$((worst % 10)) s;${steps} $(attack_lines '^STORM call=' | wc -l) calls done"
	storm_done || DETAIL="$DETAIL; not both kinds of call completed cleanly"
	[ -z "$steps" ] && [ $worst -lt 1000 ] && storm_done &&
		domain_gone domu-attack
}

# ---- the bare-metal test guest as a DomU (tests/system/guest_domu.py) -----------

# Its image, /guest/baremetal.Image, comes in a cpio appended to this
# initramfs by the runner; its console lines ("Test ...") go to ours.
# orchid.bmfuzz=SEED:N makes it the fuzzer instead of the test cases
# (xl's KEY=VALUE overrides the config's extra), orchid.bmtime=S bounds it,
# orchid.bmtrace=1 prints each operation before it runs, orchid.bmstart=I
# starts at operation I (a replay), orchid.bmarg=KEY=VALUE (repeatable) adds
# a word to the fuzzer's command line (trace_from=I, every=K).
check_baremetal_domu() {
	BM_FREE0=$(free_now)
	t0=$(now_s)
	set -- /etc/xen/domu-baremetal.cfg
	if [ -n "$BM_FUZZ" ]; then
		set -- "$@" "extra=\"mode=fuzz domu=1 seed=${BM_FUZZ%%:*} n=${BM_FUZZ#*:} every=10000 trace=$BM_TRACE start=$BM_START$BM_ARGS\""
	fi
	# Straight to our console as it comes (no filter that buffers): a
	# guest that hangs is seen where it hangs.
	{
		timeout -s KILL "$BM_TIME" xl create -c "$@" 2>&1
		echo "xl-exit=$?"
	} | tee /tmp/bm.out
	r=$(tr -d '\r' < /tmp/bm.out | sed -n 's/^xl-exit=//p')
	DETAIL="xl create -c exit $r after $(($(now_s) - t0)) s, free memory before $BM_FREE0"
	tr -d '\r' < /tmp/bm.out | grep -q '^Test result: ' || return 1
	[ $r = 0 ]
}

# After it powered off: xl list shows Domain-0 alone.
check_baremetal_gone() {
	wait_until 30 domain_gone domu-baremetal
	capture /tmp/bm-list.out 30 xl list
	others=$(tail -n +2 /tmp/bm-list.out | grep -v '^Domain-0 ' | tr -s ' ' | tr '\n' ';')
	DETAIL="others in xl list: '$others'"
	[ -z "$others" ] && grep -q '^Domain-0 ' /tmp/bm-list.out
}

# ...and its memory is back, but for the few pages of bookkeeping the
# first DomU since boot leaves (Xen 4.17 keeps about 20: check_destroy).
check_baremetal_memory() {
	free_back_to "$BM_FREE0" 64
	r=$?
	DETAIL="free memory $BM_FREE0 before, $FREE_NOW after"
	return $r
}

# The hypervisor still builds and destroys a domain after what the guest
# did to it (a vcpu_info page given back, grants left mapped, ...).
check_baremetal_next() {
	capture /tmp/bm-next.out 60 xl create -p /etc/xen/domu-cycle.cfg
	r=$?
	show next /tmp/bm-next.out
	xlt 60 destroy domu-cycle
	d=$?
	DETAIL="xl create -p exit $r, xl destroy exit $d"
	[ $r = 0 ] && [ $d = 0 ] && domain_gone domu-cycle
}

# A dead DomU's RAM reaches the next DomU as zeros (issue 13: Orchid gives
# it back unscrubbed and scrubs it in idle time or on allocation). Both
# take nearly all free memory, so the second is built largely from the
# first's pages. The guest's two programs: tests/baremetal/scrub.c.
check_baremetal_scrub() {
	mib=$(($(xl_info_field free_memory) - 64))
	set -- /etc/xen/domu-baremetal.cfg memory=$mib vcpus=1
	capture /tmp/scrub-fill.out 60 xl create "$@" 'name="domu-scrub-fill"' \
		"extra=\"mode=scrub-fill domu=1 mib=$mib\""
	r=$?
	show scrub-fill /tmp/scrub-fill.out
	DETAIL="xl create of the $mib MiB filler exit $r"
	[ $r = 0 ] || return 1
	if ! wait_until 120 log_has domu-scrub-fill '^SCRUB-FILLED'; then
		tail -n 5 "$(console_log domu-scrub-fill)" | show console
		DETAIL="$DETAIL; no SCRUB-FILLED line"
		xlt 60 destroy domu-scrub-fill
		return 1
	fi
	filled=$(tr -d '\r' < "$(console_log domu-scrub-fill)" |
		sed -n 's/^SCRUB-FILLED //p')
	xlt 60 destroy domu-scrub-fill
	d=$?
	capture /tmp/scrub-check.out 120 xl create -c "$@" \
		'name="domu-scrub-check"' \
		"extra=\"mode=scrub-check domu=1 mib=$mib\""
	r=$?
	show scrub-check /tmp/scrub-check.out
	line=$(tr -d '\r' < /tmp/scrub-check.out | grep '^SCRUB-CHECK ')
	DETAIL="filler: $filled, xl destroy exit $d; checker: exit $r, '$line'"
	wait_until 30 domain_gone domu-scrub-check
	[ $d = 0 ] && [ $r = 0 ] && echo "$line" | grep -q ' nonzero=0 '
}

# ---- passthrough from xl (tests/guest/domu-passthrough.cfg) --------------------

# The host DT marks the PL061 xen,passthrough: Dom0's copy is disabled.
check_pt_dom0_lacks() {
	st=$(tr -d '\0' < /proc/device-tree/pl061@9030000/status 2>/dev/null)
	DETAIL="Dom0's /pl061@9030000 status '$st'"
	[ "$st" = disabled ]
}

# iomem= and irqs= from xl: the guest reads the PL061 and takes its SPI.
check_pt_xl() {
	{
		timeout -s KILL 60 xl create -c /etc/xen/domu-passthrough.cfg 2>&1
		echo "xl-exit=$?"
	} | tee /tmp/pt.out
	tr -d '\r' < /tmp/pt.out > /tmp/pt.txt
	r=$(sed -n 's/^xl-exit=//p' /tmp/pt.txt)
	DETAIL="xl create -c exit $r"
	wait_until 30 domain_gone domu-pt
	[ "$r" = 0 ] &&
		grep -q '^PT-MMIO addr=9030000 cell=b105f00d periph=41061' /tmp/pt.txt &&
		grep -q '^PT-IRQ intid=39 count=1' /tmp/pt.txt
}

# One device, one domain: while pt-a holds the PL061's frame, a second
# domain asking for it (frame only: Xen refuses the SPI anyway) is refused
# by Orchid; Xen 4.17 maps the frame into both (an intended difference).
check_pt_second_refused() {
	capture /tmp/pt-a.out 60 xl create -p /etc/xen/domu-passthrough.cfg 'name="pt-a"'
	a=$?
	capture /tmp/pt-b.out 60 xl create -p /etc/xen/domu-passthrough.cfg 'name="pt-b"' 'irqs=[]'
	b=$?
	show pt-b /tmp/pt-b.out
	xlt 60 destroy pt-a
	xlt 60 destroy pt-b 2>/dev/null
	DETAIL="first xl create -p exit $a, second exit $b"
	[ $a = 0 ] && [ $b != 0 ] && domain_gone pt-b
}

# Frames Dom0 was never given cannot be handed on: xl's iomem_permission
# is -EPERM. pt_refused NAME MFN.
pt_refused() {
	capture /tmp/$1.out 60 xl create -p /etc/xen/domu-passthrough.cfg "name=\"$1\"" "iomem=[\"$2,1\"]" 'irqs=[]'
	r=$?
	show $1 /tmp/$1.out
	xlt 60 destroy $1 2>/dev/null
	DETAIL="xl create -p exit $r"
	[ $r != 0 ] && domain_gone $1
}

# A redistributor frame of the GIC (GICv3: 0x80a0000).
check_pt_gicr_refused() { pt_refused pt-gicr 80a0; }

# The distributor's first frame, right after the flash (which ends at
# 0x8000000): Xen 4.17 permits Dom0 one page past each device range that
# ends on a page boundary (map_range_to_domain's PAGE_ALIGN of the last
# byte), so it lets Dom0 hand out GICD here; Orchid does not (intended).
check_pt_gicd_refused() { pt_refused pt-gicd 8000; }

# dtdev= asks for device assignment, which needs an IOMMU; QEMU virt has
# none, so physinfo has no directio capability and libxl refuses the
# domain before building it, on Orchid as on Xen 4.17.
check_pt_dtdev_refused() {
	capture /tmp/pt-dt.out 60 xl create -p /etc/xen/domu-passthrough.cfg \
		'name="pt-dt"' 'iomem=[]' 'irqs=[]' 'dtdev=["/pl061@9030000"]'
	r=$?
	show pt-dt /tmp/pt-dt.out
	xlt 60 destroy pt-dt 2>/dev/null
	DETAIL="xl create -p exit $r"
	[ $r != 0 ] && domain_gone pt-dt &&
		grep -q 'passthrough not supported on this platform' /tmp/pt-dt.out
}

# Xen's monitoring tools: xenpm's power management is x86-only in Xen
# 4.17 (its sysctls answer ENOSYS on Arm) and its topology is one core,
# socket and node for every CPU (Arm's cpu_to_core is 0); xen-diag asks
# grant_table_op for another domain's table size. Each tool's status and
# output must be what Xen 4.17 gives on the same machine (xen_tools_want).
xen_tool() { # xen_tool TAG COMMAND...
	_tag=$1
	shift
	capture /tmp/xt.out 30 "$@"
	echo "$_tag rc=$?" >> /tmp/xt.got
	tr -d '\r' < /tmp/xt.out | sed 's/[[:space:]]\{1,\}/ /g' >> /tmp/xt.got
}
xen_tools_want() {
	cat <<-'EOF'
	cpuidle rc=0
	cpufreq-para rc=0
	[CPU0] failed to get cpufreq parameter
	topology rc=0
	CPU core socket node
	CPU0 0 0 0
	CPU1 0 0 0
	CPU2 0 0 0
	CPU3 0 0 0
	max-cstate rc=0
	Failed to set max C-state to C1 (38 - Function not implemented)
	sched-smt rc=0
	enable sched_smt_power_savings failed (38 - Function not implemented)
	turbo rc=0
	failed to enable turbo mode (38 - Function not implemented)
	diag-gnttab0 rc=0
	domid=0: nr_frames=1, max_nr_frames=64
	diag-gnttab99 rc=1
	xc: error: Could not query dom 99's grant size: Internal error
	xl-info rc=0
	nr_nodes : 1
	cores_per_socket : 1
	threads_per_core : 1
	EOF
}
check_xen_tools() {
	: > /tmp/xt.got
	xen_tool cpuidle xenpm get-cpuidle-states 0
	xen_tool cpufreq-para xenpm get-cpufreq-para 0
	xen_tool topology xenpm get-cpu-topology
	xen_tool max-cstate xenpm set-max-cstate 1
	xen_tool sched-smt xenpm set-sched-smt enable
	xen_tool turbo xenpm enable-turbo-mode 0
	xen_tool diag-gnttab0 xen-diag gnttab_query_size 0
	xen_tool diag-gnttab99 xen-diag gnttab_query_size 99
	capture /tmp/xt-info.out 30 xl info
	echo "xl-info rc=$?" >> /tmp/xt.got
	grep -E '^(nr_nodes|cores_per_socket|threads_per_core) ' /tmp/xt-info.out |
		sed 's/[[:space:]]\{1,\}/ /g' >> /tmp/xt.got
	xen_tools_want > /tmp/xt.want
	diff /tmp/xt.want /tmp/xt.got > /tmp/xt.diff && return 0
	show xen-tools-diff /tmp/xt.diff
	DETAIL="differs from Xen 4.17: $(grep '^[-+][^-+]' /tmp/xt.diff | head -n 4 | tr '\n' ' ')"
	return 1
}

# ---- PV disk and network: Linux's own backends in Dom0 --------------------

# xen-blkback, xen-netback and a 32 MiB RAM disk /dev/ram0 (brd) to back
# the DomUs' xvda; once (etc/orchid/pv-modules, from fetch-guest.sh).
PV_READY=""
pv_setup() {
	[ -n "$PV_READY" ] && return 0
	for m in $(cat /etc/orchid/pv-modules); do
		args=""
		[ "$m" = brd ] && args="rd_nr=1 rd_size=32768"
		insmod "/lib/modules/$m.ko" $args 2>/tmp/insmod.err ||
			{ DETAIL="insmod $m: $(cat /tmp/insmod.err)"; return 1; }
	done
	[ -b /dev/ram0 ] || { DETAIL="no /dev/ram0 after insmod brd"; return 1; }
	PV_READY=1
}

# What Dom0 reads from /dev/ram0 past its own page cache (blkback's I/O
# goes to the device, not through the cache). ram_read SKIP-512 COUNT-512.
ram_read() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	dd if=/dev/ram0 bs=512 skip="$1" count="$2" 2>/dev/null
}

# A DomU reads xvda (/dev/ram0 through xen-blkfront, blkback and grant
# mappings): the md5 of its first MiB, random data Dom0 wrote, must be
# Dom0's; it writes a line at 1 MiB (orchid.pvmb=1 in domu-pvdisk.cfg)
# that Dom0 then reads on /dev/ram0.
check_pv_disk() {
	pv_setup || return 1
	dd if=/dev/urandom of=/tmp/pv-pattern bs=64k count=16 2>/dev/null
	dd if=/tmp/pv-pattern of=/dev/ram0 bs=64k conv=fsync 2>/dev/null
	dd if=/dev/zero of=/dev/ram0 bs=512 seek=2048 count=1 conv=fsync 2>/dev/null
	want=$(md5sum < /tmp/pv-pattern | cut -d' ' -f1)
	capture /tmp/pvdisk.out 180 xl create /etc/xen/domu-pvdisk.cfg
	r=$?
	show domu-pvdisk /tmp/pvdisk.out
	[ $r = 0 ] || { DETAIL="xl create exit $r"; return 1; }
	wait_until 240 log_has domu-pvdisk '^PVDISK-WROTE\|^PVDISK-NONE'
	wait_until 60 domain_gone domu-pvdisk || xlt 30 destroy domu-pvdisk
	log=$(console_log domu-pvdisk)
	show domu-pvdisk "$log"
	got=$(tr -d '\r' < "$log" | sed -n 's/^PVDISK-MD5 //p')
	wrote=$(tr -d '\r' < "$log" | sed -n 's/^PVDISK-WROTE //p')
	back=$(ram_read 2048 1 | head -n 1)
	DETAIL="DomU md5 '$got' (Dom0's $want), write '$wrote', Dom0 reads '$back'"
	[ "$got" = "$want" ] && [ "$wrote" = rc=0 ] &&
		[ "$back" = "ORCHID-PVDISK written by the DomU" ]
}

# A DomU's eth0 (xen-netfront) to Dom0's vif (xen-netback), routed: Dom0
# pings it, then sends it 1 MiB of random data with nc; the DomU prints
# the size and md5 of what it received.
check_pv_net() {
	pv_setup || return 1
	capture /tmp/pvnet.out 180 xl create /etc/xen/domu-pvnet.cfg
	r=$?
	show domu-pvnet /tmp/pvnet.out
	[ $r = 0 ] || { DETAIL="xl create exit $r"; return 1; }
	if ! wait_until 90 log_has domu-pvnet '^PVNET-UP inet 10.77.0.2'; then
		DETAIL="no PVNET-UP from domu-pvnet within 90 s"
		tail -n 20 "$(console_log domu-pvnet)" | show console
		xlt 30 destroy domu-pvnet
		return 1
	fi
	capture /tmp/ping.out 30 ping -c 3 -W 5 10.77.0.2
	p=$?
	show ping /tmp/ping.out
	dd if=/dev/urandom of=/tmp/net-tx bs=64k count=16 2>/dev/null
	want="PVNET-RX bytes=1048576 md5=$(md5sum < /tmp/net-tx | cut -d' ' -f1)"
	timeout -s KILL 60 nc 10.77.0.2 5001 < /tmp/net-tx
	n=$?
	wait_until 30 log_has domu-pvnet "^$want"
	rx=$?
	got=$(tr -d '\r' < "$(console_log domu-pvnet)" | grep '^PVNET-RX' | head -n 1)
	DETAIL="ping exit $p ($(grep -o '[0-9]* packets received' /tmp/ping.out)); nc exit $n; DomU '$got' (want '$want')"
	xlt 30 destroy domu-pvnet
	wait_until 30 domain_gone domu-pvnet
	[ $p = 0 ] && [ $n = 0 ] && [ $rx = 0 ]
}

# check, unless orchid.only= names other checks.
tcheck() { # tcheck NAME FUNCTION
	case ",${ONLY:-$1}," in
	*",$1,"*) check "$@" ;;
	esac
}

run_toolstack_test() {
	dmesg -n 4
	load_modules
	toolstack_start
	tcheck toolstack-daemons check_daemons
	tcheck xl-info check_xl_info
	tcheck xl-list-dom0 check_xl_list
	tcheck xen-test-paging-mempool check_xen_paging_mempool
	tcheck xen-test-resource check_xen_resource
	tcheck xen-test-xenstore check_xen_xenstore
	tcheck domu-console check_console
	tcheck privcmd-dom0-allowed check_privcmd_dom0
	tcheck privcmd-domu-eperm check_privcmd_domu
	tcheck domu-two-vcpus check_two_vcpus
	tcheck domu-pause check_pause
	tcheck domu-unpause check_unpause
	tcheck sched-vcpu-pin check_vcpu_pin
	tcheck sched-credit2 check_credit2
	tcheck sched-credit2-weights check_credit2_weights
	tcheck cpupool-cycle check_cpupool
	tcheck cpupool-null check_cpupool_null
	tcheck cpupool-rtds check_cpupool_rtds
	tcheck cpupool-numa-split check_cpupool_numa_split
	tcheck cpupool-credit check_cpupool_credit
	tcheck cpupool-arinc653 check_cpupool_arinc653
	tcheck two-domus check_two_domus
	tcheck pv-disk check_pv_disk
	tcheck pv-net check_pv_net
	tcheck xl-dmesg check_dmesg
	tcheck hypfs-xenhypfs check_hypfs
	tcheck xl-set-parameters check_set_parameters
	tcheck xl-debug-keys check_debug_keys
	tcheck xen-tools check_xen_tools
	tcheck domu-watchdog check_watchdog
	tcheck domu-crash check_crash
	tcheck domu-destroy check_destroy
	tcheck hostile-grant-unmap check_hostile_unmap
	tcheck hostile-table-pool check_hostile_table_pool
	tcheck hostile-copy-storm check_hostile_storm
	tcheck create-destroy-cycles check_cycles
	tcheck domu-vuart check_vuart
	tcheck livepatch check_livepatch
	# Last: the trace buffers it makes are never freed (as on Xen).
	tcheck xentrace-records check_xentrace
	case ",$ONLY," in *,baremetal-domu,*)
		check baremetal-domu check_baremetal_domu
		check baremetal-domu-gone check_baremetal_gone
		check baremetal-domu-memory check_baremetal_memory
		check baremetal-domu-next check_baremetal_next
		check baremetal-domu-scrub check_baremetal_scrub
		;;
	esac
	case ",$ONLY," in *,dom0less-enhanced,*)
		. /bin/orchid-dom0less
		run_dom0less_checks
		;;
	esac
	case ",$ONLY," in *,dom0less-enhanced-restart,*)
		. /bin/orchid-dom0less
		run_dom0less_restart_checks
		;;
	esac
	case ",$ONLY," in *,passthrough-xl,*)
		check passthrough-dom0-lacks check_pt_dom0_lacks
		check passthrough-xl check_pt_xl
		check passthrough-xl-second-refused check_pt_second_refused
		check passthrough-xl-gicr-refused check_pt_gicr_refused
		check passthrough-xl-gicd-refused check_pt_gicd_refused
		check passthrough-xl-dtdev-refused check_pt_dtdev_refused
		;;
	esac
	if [ $FAILED != 0 ]; then
		echo "---- xl list"
		xlt 30 list
		echo "---- last kernel messages"
		dmesg | tail -n 30
	fi
	echo "ORCHID-TEST SUMMARY passed=$PASSED failed=$FAILED uptime=$(uptime_s)"
	echo "ORCHID-TEST POWEROFF"
	power_off
}

# ---- the benchmark -----------------------------------------------------------------

# A benchmark event: a console line (its arrival is the host-wall stamp)
# and a kernel-log line, whose printk time is Dom0's clock in microseconds
# (/proc/uptime only counts hundredths); all printed again at the end as
# "ORCHID-BENCH-T ..." lines with their kernel time.
bench_line() {
	echo "ORCHID-BENCH-T $1" > /dev/kmsg
	echo "ORCHID-BENCH $* uptime=$(uptime_s)"
}

run_toolstack_bench() {
	dmesg -n 4
	load_modules
	toolstack_start
	bench_line START
	hcbench "$HCN"
	if [ -n "$TS_ERR" ]; then
		echo "ORCHID-BENCH FAIL toolstack:$TS_ERR"
	else
		bench_create
		bench_first
		bench_echo
	fi
	bench_line END
	dmesg | grep 'ORCHID-BENCH-T '
	power_off
}

# xl create -c: every console line stamped with Dom0's uptime on arrival.
bench_create() {
	cr=$(printf '\r')
	bench_line CREATE-START
	timeout -s KILL 100 xl create -c /etc/xen/domu-hello.cfg 2>&1 |
		while IFS= read -r l; do
			read -r u _ < /proc/uptime
			case "$l" in
			*ORCHID-DOMU-READY*)
				echo "ORCHID-BENCH-T DOMU-READY" > /dev/kmsg
				echo "ORCHID-BENCH DOMU-READY uptime=$u ${l%"$cr"}" ;;
			esac
		done
	bench_line CREATE-END
	domain_gone domu-hello || echo "ORCHID-BENCH FAIL domu-hello still there"
}

# xl create of a 128 MiB DomU to its first instruction: the bare-metal
# guest (appended by bench/toolstack.py) prints the virtual counter it read
# there, which both hypervisors start when the domain is created
# (XEN_DOMCTL_createdomain), and powers off.
bench_first() {
	bench_line FIRST-START
	capture /tmp/first.out 60 xl create -c /etc/xen/domu-baremetal.cfg \
		'name="domu-first"' memory=128 vcpus=1 \
		'extra="mode=first domu=1"'
	bench_line FIRST-END rc=$?
	line=$(tr -d '\r' < /tmp/first.out | grep '^FIRST-INSN ')
	if [ -n "$line" ]; then
		echo "ORCHID-BENCH $line"
	else
		show first /tmp/first.out
		echo "ORCHID-BENCH FAIL no FIRST-INSN line from domu-first"
	fi
	wait_until 30 domain_gone domu-first
}

# The echo DomU: event-channel ping-pong, then its destruction is timed.
bench_echo() {
	if ! capture /tmp/echo.out 90 xl create /etc/xen/domu-echo.cfg; then
		show domu-echo /tmp/echo.out
		echo "ORCHID-BENCH FAIL xl create domu-echo"
		return
	fi
	if wait_until 90 log_has domu-echo '^PINGPONG-ECHO port='; then
		domid=$(xlt 30 domid domu-echo)
		port=$(timeout -s KILL 20 xenstore-read "/local/domain/$domid/data/pingpong-port")
		echo "ORCHID-BENCH echo domid=$domid port=$port"
		timeout -s KILL 120 evtchn_pingpong ping "$domid" "$port" "$PINGS"
	else
		echo "ORCHID-BENCH FAIL no PINGPONG-ECHO from domu-echo"
		tail -n 20 "$(console_log domu-echo)" | show console
	fi
	bench_line DESTROY-START
	xlt 60 destroy domu-echo
	bench_line DESTROY-END rc=$?
}

# orchid.test=livepatch-bench (bench/livepatch.py): the example payload
# applied, reverted, applied again and replaced by the second one, which
# is reverted; orchid.cycles= rounds. Orchid itself prints each pCPU's
# hold per action on its console (loglvl=all); Dom0 only drives.
run_livepatch_bench() {
	dmesg -n 4
	load_modules
	: > /tmp/lp.out
	LP_BUSY=0
	bench_line START
	if lp upload lp1 /livepatch/xen_extra.livepatch &&
		lp upload lp2 /livepatch/livepatch-extra2.livepatch; then
		r=0
		while [ $r -lt "$CYCLES" ] && lp_bench_round; do
			r=$((r + 1))
		done
	fi
	[ -n "$LP_FAIL" ] || [ "$r" = "$CYCLES" ] ||
		LP_FAIL="upload: $(tail -n 1 /tmp/lp.out)"
	[ -z "$LP_FAIL" ] || echo "ORCHID-BENCH FAIL $LP_FAIL"
	echo "ORCHID-BENCH LP-BUSY retries=$LP_BUSY"
	bench_line END
	power_off
}

lp_bench_round() {
	for step in "apply lp1" "revert lp1" "apply lp1" "replace lp2" \
		"revert lp2"; do
		echo "ORCHID-BENCH LP $step"
		# shellcheck disable=SC2086 # "ACTION NAME": two words
		lp_act $step || {
			LP_FAIL="$step: $(tail -n 1 /tmp/lp.out)"
			return 1
		}
	done
}

# ---- the PV I/O benchmark (bench/pvio.py) -------------------------------------

# Dom0's clock in microseconds: the printk time of a kernel-log line.
now_us() {
	echo "ORCHID-PVIO-T" > /dev/kmsg
	dmesg | sed -n 's/^\[ *\([0-9]*\)\.\([0-9]*\)\] ORCHID-PVIO-T$/\1\2/p' |
		tail -n 1
}

# A DomU (orchid.domu=pvbench) with xvda on /dev/ram0 and a routed vif:
# it times dd on xvda itself, then listens; Dom0 pings it and times TCP
# streams of orchid.pvmb MiB each way with busybox nc.
run_pvio_bench() {
	dmesg -n 4
	load_modules
	toolstack_start
	echo "ORCHID-BENCH START uptime=$(uptime_s)"
	pv_setup || echo "ORCHID-BENCH FAIL $DETAIL"
	capture /tmp/pvb.out 120 xl create /etc/xen/domu-pvnet.cfg \
		'name="domu-pvbench"' \
		"extra=\"console=hvc0 rdinit=/init quiet orchid.domu=pvbench orchid.pvmb=$PVMB\"" \
		"disk=['format=raw, vdev=xvda, access=rw, script=orchid-block, target=/dev/ram0']" ||
		{ show pvbench /tmp/pvb.out; echo "ORCHID-BENCH FAIL xl create"; }
	# The DomU sends its disk results here once its listeners are up. No
	# polling meanwhile: Dom0 stays blocked while the DomU's dd runs (a
	# poll's fork+execs inside the 30 ms read were that row's 0.88).
	timeout -s KILL 300 nc -l -p 5000 > /tmp/pvb.disk
	if grep -q '^PVBENCH disk-read ' /tmp/pvb.disk; then
		sed 's/^/ORCHID-BENCH /' /tmp/pvb.disk
		capture /tmp/ping.out 120 ping -c "$PVPINGS" 10.77.0.2
		show ping /tmp/ping.out
		echo "ORCHID-BENCH ping $(grep -o 'min/avg/max = [0-9./]*' /tmp/ping.out)"
		t0=$(now_us)
		dd if=/dev/zero bs=64k count=$((PVMB * 16)) 2>/dev/null |
			timeout -s KILL 300 nc 10.77.0.2 5001
		# Received, all of it: the DomU's "done" on port 5003.
		timeout -s KILL 300 sh -c 'until nc 10.77.0.2 5003 < /dev/null 2>/dev/null |
			grep -q done; do :; done'
		t1=$(now_us)
		c=$(timeout -s KILL 300 nc 10.77.0.2 5002 | wc -c)
		t2=$(now_us)
		echo "ORCHID-BENCH net-tx mb=$PVMB us=$((t1 - t0))"
		echo "ORCHID-BENCH net-rx bytes=$c us=$((t2 - t1))"
	else
		echo "ORCHID-BENCH FAIL no PVBENCH-NET-READY from domu-pvbench"
		tail -n 30 "$(console_log domu-pvbench)" | show console
	fi
	xlt 60 destroy domu-pvbench
	echo "ORCHID-BENCH END uptime=$(uptime_s)"
	power_off
}

case "$TEST" in
toolstack) run_toolstack_test ;;
toolstack-bench) run_toolstack_bench ;;
livepatch-bench) run_livepatch_bench ;;
pvio-bench) run_pvio_bench ;;
esac
