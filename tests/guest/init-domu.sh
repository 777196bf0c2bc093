#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the DomU initramfs (tools/fetch-guest.sh --toolstack), the guest
# that Dom0's toolstack test (init-dom0-toolstack.sh) starts with xl. Runs
# Debian's unmodified Linux as an unprivileged domain; everything it prints
# goes to its PV console (hvc0), which xenconsoled relays to Dom0.
#
# What it does comes from the kernel command line (the xl config's extra=):
#   orchid.domu=hello   print the ready line, try a domctl and a sysctl
#                       through /dev/xen/privcmd (both must fail with EPERM:
#                       privcmd_domctl --expect eperm), power off
#   orchid.domu=count   one busy counter per vCPU, each pinned to its vCPU,
#                       printing "ORCHID-DOMU-TICK cpu=C ran=R n=N" about
#                       every half second, forever
#   orchid.domu=crash   count on vCPU 0 for orchid.crash_after=S seconds
#                       (default 4), then crash the kernel through
#                       /proc/sysrq-trigger
#   orchid.domu=spin    print the ready line, then keep every vCPU busy
#                       (a CPU-bound guest for the scheduler's checks)
#   orchid.domu=echo    answer event-channel pings from Dom0
#                       (bench/evtchn_pingpong echo), forever
#   orchid.domu=vuart   with console=ttyAMA0 (the vpl011 of vuart =
#                       "sbsa_uart"): ask for a line on the console, read
#                       it, print it back, wait to be destroyed
#   orchid.domu=attack  what a hostile DomU tries (tests/guest/
#                       grant_attack.c): the self-grant unmap sequence,
#                       grant mappings spread 2 MiB apart (stage-2 tables),
#                       then a storm of huge GNTTABOP_copy multicalls for
#                       orchid.storm=S seconds (default 120), power off
#   orchid.domu=enhanced  a dom0less "xen,enhanced" DomU (its console the
#                       vpl011): print its /hypervisor node, wait until
#                       Dom0's init-dom0less has connected its xenstore,
#                       read its "name" and write data/orchid-ready
#                       through /dev/xen/xenbus, print both; with a PV
#                       console (/dev/hvc0, Orchid) print "ORCHID-HVC
#                       dom-ready" there every second and answer each line
#                       read there with "ORCHID-HVC-GOT <line>"; idle
#   orchid.domu=disk    load the modules; read the virtio disk given to it
#                       (a dom0less DomU's partial DT): print its first line
#                       and md5, and the expected ones, then power off
#   orchid.domu=pvdisk  the PV disk check (xen-blkfront): print the md5 of
#                       /dev/xvda's first orchid.pvmb=MiB (default 4), write
#                       a marker line at 4 MiB, power off
#   orchid.domu=pvnet   the PV network check (xen-netfront): eth0 at
#                       10.77.0.2/24, then print the md5 and size of what
#                       Dom0 sends to TCP port 5001, forever
#   orchid.domu=pvbench bench/pvio.py: pvnet's link, dd write and read
#                       throughput on xvda (PVBENCH lines), then TCP
#                       listeners Dom0 streams orchid.pvmb MiB through
# Every mode first prints "ORCHID-DOMU-READY mode=M vcpus=N uptime=S".

/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

MODE="" CRASH_AFTER=4 STORM=120 PVMB=4
for word in $(cat /proc/cmdline); do
	case "$word" in
	orchid.pvmb=*) PVMB=${word#*=} ;;
	orchid.domu=*) MODE=${word#*=} ;;
	orchid.crash_after=*) CRASH_AFTER=${word#*=} ;;
	orchid.storm=*) STORM=${word#*=} ;;
	esac
done

read -r UP _ < /proc/uptime
echo "ORCHID-DOMU-READY mode=$MODE vcpus=$(grep -c ^processor /proc/cpuinfo) uptime=$UP"

# xen-privcmd blocks every hypercall in a DomU that is no device model
# (Linux's own policy) unless unrestricted=1: the hypervisor must be the one
# that says no.
load_modules() {
	for m in $(cat /etc/orchid/modules); do
		args=""
		[ "$m" = xen-privcmd ] && args=unrestricted=1
		insmod "/lib/modules/$m.ko" $args || echo "ORCHID-DOMU insmod $m failed"
	done
}

# A counter pinned to one vCPU: a short busy loop, then a line naming the
# CPU it ran on (field 39 of /proc/<pid>/stat), then half a second's rest.
TICKER='n=0
while :; do
	i=0
	while [ $i -lt 300 ]; do i=$((i + 1)); done
	n=$((n + 1))
	set -- $(cat /proc/$$/stat)
	shift 38
	echo "ORCHID-DOMU-TICK cpu=$CPU ran=$1 n=$n"
	sleep 0.5
done'

ticker() { # ticker CPU
	CPU=$1 taskset -c "$1" sh -c "$TICKER" &
}

# The bytes of a device-tree property as one hex string.
dt_hex() { od -An -tx1 "/proc/device-tree/$1" 2>/dev/null | tr -d ' \n'; }

# One xenstore request over the xenbus device, paths relative to our
# /local/domain/<id>: a 16-byte header (type, req_id, tx_id, payload
# length, little-endian; lengths under 256 here), then the payload
# "@2\0@3"; prints the reply's payload. XS_READ is 2, XS_WRITE 11 (whose
# value, @3, has no NUL). Blocks until Dom0 has connected our xenstore.
xs_request() { # xs_request TYPE PATH [VALUE]
	_len=$((${#2} + 1 + ${#3}))
	exec 3<>/dev/xen/xenbus || return 1
	printf "\\$(printf %03o "$1")\0\0\0\0\0\0\0\0\0\0\0\\$(printf %03o $_len)\0\0\0%s\0%s" "$2" "$3" >&3
	dd bs=256 count=1 <&3 2>/dev/null | tail -c +17 | tr -d '\0'
	exec 3<&-
}

# Orchid gives an enhanced DomU a PV console (hvc_xen's /dev/hvc0), which
# Dom0's orchid-dom0less-console hands to xenconsoled: a beacon there every
# second, and each line read there said back with a prefix, which the
# tty's own echo of it would not have. The echo is turned off while the
# reader holds hvc0 open (hvc resets its termios on the last close).
# Nothing on the vpl011, whose lines the test expects as they were.
hvc_loops() {
	(while :; do echo "ORCHID-HVC dom-ready"; sleep 1; done > /dev/hvc0) &
	(
		stty -echo 2>/dev/null
		while read -r l; do echo "ORCHID-HVC-GOT $l"; done
	) < /dev/hvc0 > /dev/hvc0 &
}

# The PV frontends (etc/orchid/pv-modules) for the pv* modes.
load_pv_modules() {
	for m in $(cat /etc/orchid/pv-modules); do
		insmod "/lib/modules/$m.ko" || echo "ORCHID-DOMU insmod $m failed"
	done
}

# wait_for SECONDS TEST-ARGS...: poll `[ TEST-ARGS ]` every 0.2 s.
wait_for() {
	_n=$(($1 * 5))
	shift
	while ! [ "$@" ]; do
		_n=$((_n - 1))
		[ $_n -le 0 ] && return 1
		sleep 0.2
	done
}

# eth0 (xen-netfront) at 10.77.0.2, Dom0's vif end at 10.77.0.1
# (/etc/xen/scripts/orchid-vif).
pv_link() {
	load_pv_modules
	wait_for 30 -e /sys/class/net/eth0 || echo "ORCHID-DOMU no eth0"
	ip addr add 10.77.0.2/24 dev eth0
	ip link set eth0 up
}

# The guest's clock, in microseconds (the kernel log's printk time is finer
# than /proc/uptime's hundredths).
now_us() {
	echo "PVBENCH-T" > /dev/kmsg
	dmesg | sed -n 's/^\[ *\([0-9]*\)\.\([0-9]*\)\] PVBENCH-T$/\1\2/p' | tail -n 1
}

pv_bench() {
	pv_link
	wait_for 30 -b /dev/xvda || echo "ORCHID-DOMU no /dev/xvda"
	n=$((PVMB * 16))
	t0=$(now_us)
	dd if=/dev/zero of=/dev/xvda bs=64k count=$n conv=fsync 2>/dev/null
	t1=$(now_us)
	echo 3 > /proc/sys/vm/drop_caches
	t2=$(now_us)
	dd if=/dev/xvda of=/dev/null bs=64k count=$n 2>/dev/null
	t3=$(now_us)
	{
		echo "PVBENCH disk-write mb=$PVMB us=$((t1 - t0))"
		echo "PVBENCH disk-read mb=$PVMB us=$((t3 - t2))"
	} > /tmp/pvbench.txt
	cat /tmp/pvbench.txt
	# Dom0 times the TCP streams (it sends to 5001, reads from 5002); the
	# listener on 5003, opened once all of 5001's data is in, tells Dom0
	# (its nc may return while the data still sits in socket buffers).
	{ nc -l -p 5001 > /dev/null; echo done | nc -l -p 5003; } &
	dd if=/dev/zero bs=64k count=$n 2>/dev/null | nc -l -p 5002 &
	echo "PVBENCH-NET-READY"
	# Dom0 waits for this in accept(), not by polling our console log:
	# a poll (three fork+execs in Dom0, ~4 ms) landing inside a 30 ms dd
	# was the "DomU reads xvda" row's 0.88 (issue 13).
	until nc 10.77.0.1 5000 < /tmp/pvbench.txt 2>/dev/null; do
		sleep 0.5
	done
	wait
	echo "PVBENCH-DONE"
}

power_off() {
	poweroff -f
	sleep 30
	echo "ORCHID-DOMU still running 30 s after poweroff -f"
}

# The virtio disk, as init-dom0.sh's check_disk reads it (tools/
# fetch-guest.sh's disk.img: a known first line, a known md5).
read_disk() {
	i=0
	while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -b /dev/vda ]; then
		echo "ORCHID-DOMU-DISK none ($(ls /sys/block | tr '\n' ' '))"
		return
	fi
	first=$(dd if=/dev/vda bs=512 count=1 2>/dev/null | head -n 1)
	sum=$(md5sum < /dev/vda | cut -d' ' -f1)
	echo "ORCHID-DOMU-DISK first='$first' md5=$sum"
	echo "ORCHID-DOMU-DISK want first='$(cat /etc/orchid/disk.magic)'" \
		"md5=$(cat /etc/orchid/disk.md5)"
}

case "$MODE" in
disk)
	load_modules
	read_disk
	power_off
	;;
hello)
	load_modules
	privcmd_domctl --expect eperm
	echo "ORCHID-DOMU-PRIVCMD exit=$?"
	echo "ORCHID-DOMU-BYE"
	power_off
	;;
count)
	cpus=$(grep -c ^processor /proc/cpuinfo)
	c=0
	while [ $c -lt "$cpus" ]; do
		ticker $c
		c=$((c + 1))
	done
	;;
crash)
	ticker 0
	sleep "$CRASH_AFTER"
	echo "ORCHID-DOMU-CRASHING"
	echo c > /proc/sysrq-trigger
	;;
spin)
	cpus=$(grep -c ^processor /proc/cpuinfo)
	c=0
	while [ $c -lt "$cpus" ]; do
		taskset -c $c sh -c 'while :; do :; done' &
		c=$((c + 1))
	done
	;;
echo)
	load_modules
	evtchn_pingpong echo
	;;
vuart)
	# /dev/console is the vpl011: the line comes from xenconsoled's ring.
	echo "ORCHID-DOMU-VUART-ASK type a line"
	read -r line
	echo "ORCHID-DOMU-VUART-GOT '$line'"
	;;
attack)
	load_modules
	grant_attack selfmap
	grant_attack spread
	grant_attack storm "$STORM"
	power_off
	;;
enhanced)
	# One line each: a vpl011 line longer than 128 bytes is cut (Xen).
	echo "ORCHID-DOMU-HV-COMPAT $(tr '\0' ' ' < /proc/device-tree/hypervisor/compatible 2>/dev/null)"
	echo "ORCHID-DOMU-HV-REG $(dt_hex hypervisor/reg)"
	echo "ORCHID-DOMU-HV-IRQ $(dt_hex hypervisor/interrupts)"
	# Linux binds "xenstore_late_init" while HVM_PARAM_STORE_PFN is all
	# ones, then "xenbus" once connected. Nothing may touch the xenbus
	# device before: its first request would wake Linux's
	# xenbus_probe_thread early, which then maps no page (an abort).
	grep -qw xenstore_late_init /proc/interrupts &&
		echo "ORCHID-DOMU-XENSTORE-LATE waiting"
	n=0
	while ! grep -qw xenbus /proc/interrupts && [ $n -lt 900 ]; do
		sleep 1
		n=$((n + 1))
	done
	name=$(xs_request 2 name)
	echo "ORCHID-DOMU-XENSTORE name=$name write=$(xs_request 11 data/orchid-ready 1)"
	[ -c /dev/hvc0 ] && hvc_loops
	;;
watchdog)
	# Debian's xenwatchdogd TIMEOUT PET-INTERVAL arms the domain's
	# watchdog, pets it, and disarms it on SIGTERM; killed outright it
	# leaves the watchdog to expire: the hypervisor shuts us down.
	load_modules
	xenwatchdogd 4 1 || echo "ORCHID-DOMU xenwatchdogd failed: $?"
	sleep 8
	echo "ORCHID-DOMU-WATCHDOG-PETTED"
	kill -TERM $(pidof xenwatchdogd)
	sleep 6
	echo "ORCHID-DOMU-WATCHDOG-DISARMED"
	xenwatchdogd 3 1 || echo "ORCHID-DOMU xenwatchdogd failed: $?"
	sleep 1
	kill -KILL $(pidof xenwatchdogd)
	echo "ORCHID-DOMU-WATCHDOG-ABANDONED"
	sleep 60
	echo "ORCHID-DOMU still running 60 s after its watchdog was abandoned"
	;;
pvdisk)
	load_pv_modules
	if wait_for 30 -b /dev/xvda; then
		echo "PVDISK-MD5 $(head -c $((PVMB << 20)) /dev/xvda | md5sum | cut -d' ' -f1)"
		echo "ORCHID-PVDISK written by the DomU" |
			dd of=/dev/xvda bs=512 seek=$((PVMB * 2048)) conv=sync,fsync 2>/dev/null
		echo "PVDISK-WROTE rc=$?"
	else
		echo "PVDISK-NONE: no /dev/xvda after 30 s"
	fi
	power_off
	;;
pvnet)
	pv_link
	echo "PVNET-UP $(ip -4 addr show dev eth0 | grep -o 'inet [0-9./]*')"
	while :; do
		nc -l -p 5001 > /tmp/rx
		echo "PVNET-RX bytes=$(wc -c < /tmp/rx) md5=$(md5sum < /tmp/rx | cut -d' ' -f1)"
	done
	;;
pvbench)
	pv_bench
	;;
*)
	echo "ORCHID-DOMU unknown mode '$MODE'"
	power_off
	;;
esac
while :; do sleep 1000; done
