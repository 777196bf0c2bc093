// SPDX-License-Identifier: MIT
/*
 * Cross-CPU function calls over SGIs. Each CPU has one mailbox; a sender
 * owns a target's mailbox from posting until the target has run the call.
 * While waiting for a mailbox, a sender keeps serving its own, so two CPUs
 * calling each other never deadlock.
 */
#include <orchid/arch.h>
#include <orchid/irq.h>
#include <orchid/panic.h>
#include <orchid/smp.h>
#include <orchid/spinlock.h>

struct call_mailbox {
	spinlock_t lock; /* held by the sender from post to completion */
	void (*fn)(void *data);
	void *data;
	volatile bool pending;
};

static struct call_mailbox mailboxes[CONFIG_NR_CPUS];

static void smp_call_serve(void)
{
	struct call_mailbox *mb = &mailboxes[arch_cpu_id()];

	if (!__atomic_load_n(&mb->pending, __ATOMIC_ACQUIRE))
		return;
	mb->fn(mb->data);
	__atomic_store_n(&mb->pending, false, __ATOMIC_RELEASE);
}

static void sgi_call_function(unsigned int irq, void *data)
{
	smp_call_serve();
}

void smp_call_init(void)
{
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		spin_lock_init(&mailboxes[cpu].lock);
	irq_request(SGI_CALL_FUNCTION, sgi_call_function, NULL);
}

/* Own @mb once it holds no call (an asynchronous one may still run). */
static void mailbox_take(struct call_mailbox *mb)
{
	while (!spin_trylock(&mb->lock)) {
		smp_call_serve();
		arch_cpu_relax();
	}
	while (__atomic_load_n(&mb->pending, __ATOMIC_ACQUIRE)) {
		smp_call_serve();
		arch_cpu_relax();
	}
}

#ifdef CONFIG_LIVEPATCH
/* Only live patching's rendezvous needs a call that does not wait. */
void smp_call_function_async(unsigned int cpu, void (*fn)(void *data),
			     void *data)
{
	struct call_mailbox *mb;

	BUG_ON(cpu >= CONFIG_NR_CPUS || cpu == arch_cpu_id());
	mb = &mailboxes[cpu];
	mailbox_take(mb);
	mb->fn = fn;
	mb->data = data;
	__atomic_store_n(&mb->pending, true, __ATOMIC_RELEASE);
	irq_send_sgi(cpu, SGI_CALL_FUNCTION);
	spin_unlock(&mb->lock);
}
#endif

void smp_call_function_single(unsigned int cpu, void (*fn)(void *data),
			      void *data)
{
	struct call_mailbox *mb;

	BUG_ON(cpu >= CONFIG_NR_CPUS);
	if (cpu == arch_cpu_id()) {
		unsigned long flags = arch_irq_save();

		fn(data);
		arch_irq_restore(flags);
		return;
	}
	mb = &mailboxes[cpu];
	mailbox_take(mb);
	mb->fn = fn;
	mb->data = data;
	__atomic_store_n(&mb->pending, true, __ATOMIC_RELEASE);
	irq_send_sgi(cpu, SGI_CALL_FUNCTION);
	/* The mailbox is free again only once the call has run. */
	while (__atomic_load_n(&mb->pending, __ATOMIC_ACQUIRE)) {
		smp_call_serve();
		arch_cpu_relax();
	}
	spin_unlock(&mb->lock);
}

void smp_call_function_others(void (*fn)(void *data), void *data)
{
	unsigned int self = arch_cpu_id();

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu != self && cpu_is_online(cpu))
			smp_call_function_single(cpu, fn, data);
}
