#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of Orchid's Dom0 initramfs (built by tools/fetch-guest.sh).
#
# Runs as PID 1 of Debian's unmodified arm64 Linux booted as Dom0, on Orchid
# or on Xen 4.17. What it does comes from the Dom0 command line
# (xen,dom0-bootargs):
#
#   orchid.test=dom0     the Dom0 system test: one line per check,
#                          ORCHID-TEST PASS <check> [(detail)]
#                          ORCHID-TEST FAIL <check>: <why>
#                        then "ORCHID-TEST SUMMARY passed=N failed=M",
#                        "ORCHID-TEST POWEROFF" and poweroff -f.
#   orchid.test=bench    run bench/hcbench (orchid.hcn=N iterations), then
#                        power off.
#   orchid.test=toolstack, orchid.test=toolstack-bench, livepatch-bench,
#   pvio-bench
#                        Xen's toolstack test and benchmark
#                        (init-dom0-toolstack.sh, in the toolstack
#                        initramfs of fetch-guest.sh --toolstack only).
#   orchid.demo=shell    (also the default) a banner, then an interactive
#                        shell on the console (hvc0); leaving it powers off.
#
# Every mode first prints "ORCHID-DOM0-READY hv=<type> uptime=<s>": the
# moment Dom0 user space runs, used by the boot benchmark.

/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /tmp /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp

uptime_s() { read -r u _ < /proc/uptime; echo "$u"; }

HV=none
[ -r /sys/hypervisor/type ] && read -r HV < /sys/hypervisor/type
echo "ORCHID-DOM0-READY hv=$HV uptime=$(uptime_s)"

TEST="" DEMO="" HCN=10000
for word in $(cat /proc/cmdline); do
	case "$word" in
	orchid.test=*) TEST=${word#*=} ;;
	orchid.demo=*) DEMO=${word#*=} ;;
	orchid.hcn=*) HCN=${word#*=} ;;
	esac
done

power_off() {
	sync
	poweroff -f
	sleep 30
	echo "ORCHID-TEST FAIL poweroff: still running 30 s after poweroff -f"
	while :; do sleep 1000; done
}

# Xen's Dom0 modules: /etc/orchid/modules lists them dependencies first.
MODULES_FAILED=""
load_modules() {
	for m in $(cat /etc/orchid/modules); do
		insmod "/lib/modules/$m.ko" 2>/tmp/insmod.err ||
			MODULES_FAILED="$MODULES_FAILED $m($(cat /tmp/insmod.err))"
	done
}

# ---- the checks: each sets DETAIL and returns 0 (pass) or 1 (fail) -------

check_xen_support() {
	DETAIL=$(dmesg | grep -o 'Xen [0-9.]* support found' | head -n 1)
	[ "$DETAIL" = "Xen 4.17 support found" ] && return 0
	DETAIL="kernel log has '${DETAIL:-no Xen support line}'"
	return 1
}

check_hypervisor_type() {
	t=$(cat /sys/hypervisor/type 2>&1)
	DETAIL="/sys/hypervisor/type is '$t'"
	[ "$t" = xen ]
}

check_hypervisor_version() {
	major=$(cat /sys/hypervisor/version/major 2>&1)
	minor=$(cat /sys/hypervisor/version/minor 2>&1)
	extra=$(cat /sys/hypervisor/version/extra 2>&1)
	DETAIL="$major.$minor$extra"
	[ "$major" = 4 ] && [ "$minor" = 17 ]
}

check_modules() {
	DETAIL=$(tr "\n" " " < /etc/orchid/modules)
	DETAIL=${DETAIL% }
	[ -z "$MODULES_FAILED" ] && return 0
	DETAIL="insmod failed:$MODULES_FAILED"
	return 1
}

check_capabilities() {
	mkdir -p /proc/xen 2>/dev/null
	if ! out=$(mount -t xenfs xenfs /proc/xen 2>&1); then
		DETAIL="mount -t xenfs failed: $out"
		return 1
	fi
	cap=$(cat /proc/xen/capabilities 2>&1)
	DETAIL="/proc/xen/capabilities is '$cap'"
	[ "$cap" = control_d ]
}

# Busy time (user + nice + system, in USER_HZ ticks) of one CPU.
cpu_busy() {
	grep "^cpu$1 " /proc/stat | { read -r _ u n s _; echo $((u + n + s)); }
}

# A shell loop pinned to CPU $1 that prints the CPU it ran on at the end
# (field 39 of /proc/<pid>/stat).
BUSY_LOOP='i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done
set -- $(cat /proc/$$/stat); shift 38; echo "$1"'

check_vcpus() {
	online=$(cat /sys/devices/system/cpu/online)
	if [ "$online" != 0-1 ]; then
		DETAIL="online CPUs are '$online', expected '0-1'"
		return 1
	fi
	b0=$(cpu_busy 0) b1=$(cpu_busy 1)
	taskset -c 0 sh -c "$BUSY_LOOP" > /tmp/busy0 2>&1 &
	p0=$!
	taskset -c 1 sh -c "$BUSY_LOOP" > /tmp/busy1 2>&1 &
	p1=$!
	wait $p0; r0=$?
	wait $p1; r1=$?
	d0=$(($(cpu_busy 0) - b0)) d1=$(($(cpu_busy 1) - b1))
	ran0=$(cat /tmp/busy0) ran1=$(cat /tmp/busy1)
	DETAIL="online $online; loops exited $r0,$r1 on CPU '$ran0','$ran1'; busy ticks +$d0,+$d1"
	[ $r0 = 0 ] && [ $r1 = 0 ] && [ "$ran0" = 0 ] && [ "$ran1" = 1 ] &&
		[ $d0 -gt 0 ] && [ $d1 -gt 0 ]
}

check_disk() {
	i=0
	while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -b /dev/vda ]; then
		DETAIL="no /dev/vda (block devices: $(ls /sys/block | tr '\n' ' '))"
		return 1
	fi
	magic=$(dd if=/dev/vda bs=512 count=1 2>/dev/null | head -n 1)
	sum=$(md5sum < /dev/vda | cut -d' ' -f1)
	want_magic=$(cat /etc/orchid/disk.magic)
	want_sum=$(cat /etc/orchid/disk.md5)
	DETAIL="vda $(($(cat /sys/block/vda/size) / 2)) KiB, first line '$magic', md5 $sum"
	[ "$magic" = "$want_magic" ] && [ "$sum" = "$want_sum" ] && return 0
	DETAIL="$DETAIL; expected '$want_magic', md5 $want_sum"
	return 1
}

check_evtchn() {
	out=$(evtchn_selftest 5000 2>&1)
	r=$?
	echo "$out"
	DETAIL=$(echo "$out" | tail -n 1)
	[ $r = 0 ]
}

PASSED=0 FAILED=0
check() { # check NAME FUNCTION
	DETAIL=""
	if $2; then
		PASSED=$((PASSED + 1))
		echo "ORCHID-TEST PASS $1${DETAIL:+ ($DETAIL)}"
	else
		FAILED=$((FAILED + 1))
		echo "ORCHID-TEST FAIL $1: $DETAIL"
	fi
}

run_dom0_test() {
	# Kernel messages stay in dmesg; only errors interleave with ours.
	dmesg -n 4
	load_modules
	check xen-support-found check_xen_support
	check hypervisor-type check_hypervisor_type
	check hypervisor-version check_hypervisor_version
	check xen-modules check_modules
	check capabilities-control_d check_capabilities
	check vcpus-busy check_vcpus
	check virtio-disk check_disk
	check evtchn-loopback check_evtchn
	if [ $FAILED != 0 ]; then
		echo "---- last kernel messages"
		dmesg | tail -n 40
	fi
	echo "ORCHID-TEST SUMMARY passed=$PASSED failed=$FAILED uptime=$(uptime_s)"
	echo "ORCHID-TEST POWEROFF"
	power_off
}

run_bench() {
	dmesg -n 4
	load_modules
	echo "ORCHID-BENCH START uptime=$(uptime_s)"
	hcbench "$HCN"
	echo "ORCHID-BENCH END uptime=$(uptime_s)"
	power_off
}

run_shell() {
	dmesg -n 4
	load_modules
	mkdir -p /proc/xen
	mount -t xenfs xenfs /proc/xen 2>/dev/null
	cat <<EOF

  Orchid Dom0: Debian $(uname -r) on $HV $(cat /sys/hypervisor/version/major 2>/dev/null).$(cat /sys/hypervisor/version/minor 2>/dev/null)
  $(grep -c ^processor /proc/cpuinfo) vCPUs, $(sed -n 's/^MemTotal: *//p' /proc/meminfo) RAM. Try: cat /proc/xen/capabilities,
  evtchn_selftest, hcbench 1000, dmesg. 'poweroff -f' (or exit) powers off.

EOF
	# The toolstack flavour: start Xen's daemons, offer the demo DomU.
	if [ -f /bin/orchid-toolstack ]; then
		. /bin/orchid-toolstack
		toolstack_start
		[ -n "$TS_ERR" ] && echo "toolstack: trouble starting:$TS_ERR"
		echo "  Xen's toolstack is running (xenstored, xenconsoled). Try:"
		echo "    xl info; xl list"
		echo "    xl create -c /etc/xen/domu-hello.cfg"
		echo "      (a DomU that greets on its console and powers off;"
		echo "       /etc/xen/domu-count.cfg runs until xl destroy domu-count)"
		echo
	fi
	echo "ORCHID-SHELL-READY"
	export PS1='dom0# ' HOME=/root
	mkdir -p /root
	cd /root || true
	setsid cttyhack sh
	echo "shell exited: powering off"
	power_off
}

case "$TEST" in
dom0) run_dom0_test ;;
bench) run_bench ;;
toolstack | toolstack-bench | livepatch-bench | pvio-bench)
	# The toolstack initramfs (fetch-guest.sh --toolstack) only.
	if [ -f /bin/orchid-toolstack ]; then
		. /bin/orchid-toolstack
	else
		echo "ORCHID-TEST FAIL init: no toolstack in this initramfs"
	fi
	;;
"") ;;
*) echo "ORCHID-TEST FAIL init: unknown orchid.test=$TEST" ;;
esac
case "$DEMO" in
"" | shell) run_shell ;;
*) echo "unknown orchid.demo=$DEMO, starting a shell"; run_shell ;;
esac
