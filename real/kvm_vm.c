// SPDX-License-Identifier: GPL-2.0
/*
 * A real VM on /dev/kvm (real/kvm_vm.h): the layout, the page tables and
 * the 64-bit entry state, as tools/testing/selftests/kvm's x86 library
 * sets them up (vcpu_init_sregs(), kvm_setup_tss_64bit()).
 */
#include "kvm_vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "guest.h"

/* Debian 12's headers are 6.1's: what came after is spelled out here. */
#ifndef KVM_SET_USER_MEMORY_REGION2
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};
#define KVM_SET_USER_MEMORY_REGION2 _IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)
#endif
#ifndef KVM_CREATE_GUEST_MEMFD
struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};
#define KVM_CREATE_GUEST_MEMFD _IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)
#endif
#ifndef KVM_MEM_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD (1UL << 2)
#endif
#ifndef GUEST_MEMFD_FLAG_MMAP
#define GUEST_MEMFD_FLAG_MMAP (1ULL << 0)
#endif
#ifndef GUEST_MEMFD_FLAG_INIT_SHARED
#define GUEST_MEMFD_FLAG_INIT_SHARED (1ULL << 1)
#endif
#define GUEST_MEMFD_FLAGS_WANTED (GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED)
#ifndef KVM_CAP_GUEST_MEMFD
#define KVM_CAP_GUEST_MEMFD 234
#endif
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS 244
#endif
#ifndef KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE
#define KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE (1 << 0)
#endif

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)
#define PML4_GPA 0x1000ULL
#define PDPT_GPA 0x2000ULL
#define PD_GPA 0x3000ULL
#define GDT_GPA 0x4000ULL
#define TSS_GPA 0x5000ULL

#define CR0_PE (1ULL << 0)
#define CR0_NE (1ULL << 5)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)

static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	int err = errno;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	n = strlen(why);
	if (err && n < len)
		snprintf(why + n, len - n, ": %s", strerror(err));
	return -1;
}

const char *real_kvm_device(void)
{
	const char *dev = getenv("LOSTFLUSH_KVM_DEVICE");

	return dev && *dev ? dev : "/dev/kvm";
}

static int open_kvm(char *why, size_t len)
{
	int fd = open(real_kvm_device(), O_RDWR | O_CLOEXEC), version;

	if (fd < 0)
		return fail(why, len, "cannot open %s", real_kvm_device());
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		close(fd);
		errno = 0;
		return fail(why, len, "%s speaks KVM API %d, not %d", real_kvm_device(), version,
			    KVM_API_VERSION);
	}
	return fd;
}

int real_kvm_usable(char *why, size_t len)
{
	int fd = open_kvm(why, len);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int real_kvm_describe(char *what, size_t len)
{
	int fd = open_kvm(what, len);

	if (fd < 0)
		return -1;
	snprintf(what, len,
		 "KVM API %d; manual dirty-log protect %d; dirty ring up to %d bytes "
		 "(acquire/release %s); up to %d vCPUs; guest_memfd %s",
		 KVM_API_VERSION, ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2),
		 ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING),
		 ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING_ACQ_REL) > 0 ? "yes" : "no",
		 ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS),
		 ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD) > 0 ? "yes" : "no");
	close(fd);
	return 0;
}

/* KVM_CAP_GUEST_MEMFD_FLAGS on /dev/kvm answers for a VM of the default
 * type (kvm_gmem_get_supported_flags(NULL)). */
int real_kvm_guest_memfd(char *why, size_t len)
{
	int fd = open_kvm(why, len), has, flags;

	if (fd < 0)
		return -1;
	has = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD);
	flags = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);
	close(fd);
	errno = 0;
	if (has <= 0)
		return fail(why, len,
			    "this kernel's KVM offers no guest_memfd (KVM_CAP_GUEST_MEMFD is 0: "
			    "built without CONFIG_KVM_GUEST_MEMFD)");
	if (flags < 0 || ((uint64_t)flags & GUEST_MEMFD_FLAGS_WANTED) != GUEST_MEMFD_FLAGS_WANTED)
		return fail(why, len,
			    "this kernel's guest_memfd cannot be mapped by the host and start "
			    "shared (KVM_CAP_GUEST_MEMFD_FLAGS is %#x; MMAP and INIT_SHARED came "
			    "in 6.18)",
			    flags < 0 ? 0 : flags);
	return 0;
}

static void *guest_memory(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* KVM_SET_USER_MEMORY_REGION2 where the kernel has it (6.8 on), else the
 * first form: the same slot for anonymous memory. */
static int set_slot(struct real_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa, void *mem,
		    uint64_t size)
{
	struct kvm_userspace_memory_region2 r2 = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	struct kvm_userspace_memory_region r1 = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};

	/* The working set's guest_memfd stands behind the slot at offset 0
	 * (its memory at userspace_addr is the same file, mapped). */
	if (vm->cfg.guest_memfd && slot == REAL_SLOT_WS) {
		r2.flags |= KVM_MEM_GUEST_MEMFD;
		r2.guest_memfd = (__u32)vm->ws_fd;
		return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2);
	}
	if (!ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2))
		return 0;
	if (errno != ENOTTY && errno != EINVAL)
		return -1;
	return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r1);
}

/* 2M pages over the first GiB, identity-mapped. */
static void build_page_tables(uint8_t *system)
{
	uint64_t *pml4 = (uint64_t *)(system + PML4_GPA);
	uint64_t *pdpt = (uint64_t *)(system + PDPT_GPA);
	uint64_t *pd = (uint64_t *)(system + PD_GPA);

	pml4[0] = PDPT_GPA | PTE_P | PTE_RW;
	pdpt[0] = PD_GPA | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
}

/* The ring with acquire/release ordering where the kernel has it (6.0 on:
 * x86 needs it to be sound on weakly ordered hosts too), else the first
 * form; before any vCPU exists. */
static int enable_ring(struct real_vm *vm, char *why, size_t len)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_DIRTY_LOG_RING_ACQ_REL,
		.args = { (uint64_t)vm->cfg.ring_entries * sizeof(struct kvm_dirty_gfn) },
	};

	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING_ACQ_REL) <= 0)
		cap.cap = KVM_CAP_DIRTY_LOG_RING;
	if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
		return fail(why, len, "KVM_ENABLE_CAP(KVM_CAP_DIRTY_LOG_RING_ACQ_REL, %u entries)",
			    vm->cfg.ring_entries);
	return 0;
}

/* vCPU v's ring, as the kernel maps it after its kvm_run. */
static int map_ring(struct real_vm *vm, struct real_vcpu *v, char *why, size_t len)
{
	size_t bytes = (size_t)vm->cfg.ring_entries * sizeof(struct kvm_dirty_gfn);
	void *ring = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
			  (off_t)KVM_DIRTY_LOG_PAGE_OFFSET * getpagesize());

	if (ring == MAP_FAILED)
		return fail(why, len, "mmap of vCPU %d's dirty ring", v->id);
	v->ring = ring;
	v->ring_entries = vm->cfg.ring_entries;
	return 0;
}

static int create_memfd(size_t size)
{
	int fd = memfd_create("lostflush-guest", MFD_CLOEXEC);

	if (fd >= 0 && ftruncate(fd, (off_t)size)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The host maps it and it starts shared, so the host's replay reads what
 * the guest wrote, as with a memfd. */
static int create_guest_memfd(struct real_vm *vm, size_t size)
{
	struct kvm_create_guest_memfd g = { .size = size, .flags = GUEST_MEMFD_FLAGS_WANTED };

	return ioctl(vm->vm_fd, KVM_CREATE_GUEST_MEMFD, &g);
}

/* The working set's memory; with thp, 2M-aligned inside a mapping 2M
 * larger, and advised huge. */
static uint8_t *working_set_memory(struct real_vm *vm, size_t size)
{
	size_t huge = 2UL << 20;
	uintptr_t p;

	vm->ws_map_size = size + (vm->cfg.thp ? huge : 0);
	if (vm->cfg.memfd || vm->cfg.guest_memfd) {
		void *m;

		vm->ws_fd = vm->cfg.guest_memfd ? create_guest_memfd(vm, size) : create_memfd(size);
		if (vm->ws_fd < 0)
			return NULL;
		m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->ws_fd, 0);
		vm->ws_map = m == MAP_FAILED ? NULL : m;
		return vm->ws_map;
	}
	vm->ws_map = guest_memory(vm->ws_map_size);
	if (!vm->ws_map || !vm->cfg.thp)
		return vm->ws_map;
	p = ((uintptr_t)vm->ws_map + huge - 1) & ~(uintptr_t)(huge - 1);
	madvise((void *)p, size, MADV_HUGEPAGE);
	return (uint8_t *)p;
}

static int create_memory(struct real_vm *vm, char *why, size_t len)
{
	uint64_t ws_size = vm->cfg.nr_pages * REAL_PAGE_SIZE;
	size_t code = (size_t)(real_guest_code_end - real_guest_code_start);

	vm->system = guest_memory(REAL_SYSTEM_SIZE);
	vm->ws = working_set_memory(vm, ws_size);
	if (!vm->system || !vm->ws)
		return fail(why, len, "cannot %s %llu bytes of guest memory",
			    vm->cfg.guest_memfd ? "create and map (KVM_CREATE_GUEST_MEMFD)" : "map",
			    (unsigned long long)(REAL_SYSTEM_SIZE + ws_size));
	build_page_tables(vm->system);
	memcpy(vm->system + REAL_CODE_GPA, real_guest_code_start, code);
	if (vm->cfg.manual_protect) {
		struct kvm_enable_cap cap = {
			.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
			.args = { KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
				  KVM_DIRTY_LOG_INITIALLY_SET },
		};

		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
			return fail(why, len, "KVM_ENABLE_CAP(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2)");
	}
	if (vm->cfg.ring_entries && enable_ring(vm, why, len))
		return -1;
	if (set_slot(vm, REAL_SLOT_SYSTEM, 0, 0, vm->system, REAL_SYSTEM_SIZE))
		return fail(why, len, "KVM_SET_USER_MEMORY_REGION (the system slot)");
	if (set_slot(vm, REAL_SLOT_WS, vm->cfg.log_dirty ? KVM_MEM_LOG_DIRTY_PAGES : 0, REAL_WS_GPA,
		     vm->ws, ws_size))
		return fail(why, len, "KVM_SET_USER_MEMORY_REGION (the working set)");
	return 0;
}

/* KVM refuses EFER.LME to a vCPU whose CPUID has no long mode. */
static int set_cpuid(struct real_vm *vm, struct real_vcpu *v, char *why, size_t len)
{
	int nent = 256, r;
	struct kvm_cpuid2 *cpuid =
		calloc(1, sizeof(*cpuid) + (size_t)nent * sizeof(struct kvm_cpuid_entry2));

	if (!cpuid)
		return fail(why, len, "no memory for CPUID");
	cpuid->nent = (uint32_t)nent;
	r = ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid);
	if (!r)
		r = ioctl(v->fd, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	return r ? fail(why, len, "KVM_GET_SUPPORTED_CPUID / KVM_SET_CPUID2") : 0;
}

static struct kvm_segment segment(uint16_t selector, uint8_t type, bool code)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = code ? 0 : 1,
		.s = 1,
		.l = code ? 1 : 0,
		.g = 1,
	};
}

/* Long mode at once: paging on, the segments' hidden parts set (no GDT
 * load ever happens), a busy 64-bit TSS as VM entry wants. */
static int set_sregs(struct real_vcpu *v, char *why, size_t len)
{
	struct kvm_sregs s;

	if (ioctl(v->fd, KVM_GET_SREGS, &s))
		return fail(why, len, "KVM_GET_SREGS");
	s.cr0 = CR0_PE | CR0_NE | CR0_PG;
	s.cr3 = PML4_GPA;
	s.cr4 = CR4_PAE;
	s.efer = EFER_LME | EFER_LMA;
	s.cs = segment(0x8, 11, true);
	s.ds = s.es = s.fs = s.gs = s.ss = segment(0x10, 3, false);
	s.tr = (struct kvm_segment){
		.base = TSS_GPA,
		.limit = 0x67,
		.selector = 0x18,
		.type = 11,
		.present = 1,
	};
	s.ldt = (struct kvm_segment){ .unusable = 1 };
	s.gdt.base = GDT_GPA;
	s.gdt.limit = 0xfff;
	s.idt.base = 0;
	s.idt.limit = 0;
	if (ioctl(v->fd, KVM_SET_SREGS, &s))
		return fail(why, len, "KVM_SET_SREGS (64-bit mode)");
	return 0;
}

static int set_regs(struct real_vm *vm, struct real_vcpu *v, char *why, size_t len)
{
	/* A non-zero xorshift state of the vCPU's own. */
	uint64_t seed = (vm->cfg.seed ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(v->id + 1))) | 1;
	v->seed = seed;
	struct kvm_regs r = {
		.rip = REAL_CODE_GPA,
		.rsp = REAL_STACKS_GPA + (uint64_t)(v->id + 1) * REAL_PAGE_SIZE,
		.rflags = 2,
		.rdi = (uint64_t)v->id,
		.rsi = REAL_WS_GPA,
		.rdx = vm->cfg.nr_pages - 1,
		.r8 = seed,
		.r9 = REAL_SHARED_GPA,
		.r10 = vm->cfg.writes,
	};

	if (ioctl(v->fd, KVM_SET_REGS, &r))
		return fail(why, len, "KVM_SET_REGS");
	return 0;
}

static int create_vcpu(struct real_vm *vm, int id, char *why, size_t len)
{
	struct real_vcpu *v = &vm->vcpus[id];
	int size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	v->id = id;
	v->ws_pages = vm->cfg.nr_pages;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (v->fd < 0)
		return fail(why, len, "KVM_CREATE_VCPU %d", id);
	vm->nr_vcpus = id + 1;
	if (size <= 0)
		return fail(why, len, "KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = (size_t)size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return fail(why, len, "mmap of vCPU %d's kvm_run", id);
	}
	if (vm->cfg.ring_entries && map_ring(vm, v, why, len))
		return -1;
	if (set_cpuid(vm, v, why, len) || set_sregs(v, why, len) || set_regs(vm, v, why, len))
		return -1;
	return 0;
}

static bool config_valid(const struct real_vm_config *cfg, char *why, size_t len)
{
	errno = 0;
	if (cfg->nr_vcpus < 1 || cfg->nr_vcpus > REAL_MAX_VCPUS)
		return !fail(why, len, "%d vCPUs: 1 to %d", cfg->nr_vcpus, REAL_MAX_VCPUS);
	if (!cfg->nr_pages || (cfg->nr_pages & (cfg->nr_pages - 1)) ||
	    cfg->nr_pages > REAL_MAX_WS_PAGES)
		return !fail(why, len, "%llu working-set pages: a power of two, at most %llu",
			     (unsigned long long)cfg->nr_pages,
			     (unsigned long long)REAL_MAX_WS_PAGES);
	if (cfg->guest_memfd && (cfg->log_dirty || cfg->thp || cfg->memfd))
		return !fail(why, len,
			     "a guest_memfd working set is neither logged (KVM refuses dirty "
			     "logging on it), advised huge nor a memfd");
	return true;
}

int real_vm_create(struct real_vm *vm, const struct real_vm_config *cfg, char *why, size_t len)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->ws_fd = -1;
	vm->cfg = *cfg;
	if (!config_valid(cfg, why, len))
		return -1;
	vm->kvm_fd = open_kvm(why, len);
	if (vm->kvm_fd < 0)
		return -1;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return fail(why, len, "KVM_CREATE_VM");
	if (create_memory(vm, why, len))
		return -1;
	for (int i = 0; i < cfg->nr_vcpus; i++)
		if (create_vcpu(vm, i, why, len))
			return -1;
	return 0;
}

void real_vm_destroy(struct real_vm *vm)
{
	for (int i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].ring)
			munmap(vm->vcpus[i].ring,
			       vm->vcpus[i].ring_entries * sizeof(struct kvm_dirty_gfn));
		if (vm->vcpus[i].run)
			munmap(vm->vcpus[i].run, vm->vcpus[i].run_size);
		if (vm->vcpus[i].fd >= 0)
			close(vm->vcpus[i].fd);
	}
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	if (vm->system)
		munmap(vm->system, REAL_SYSTEM_SIZE);
	if (vm->ws_map)
		munmap(vm->ws_map, vm->ws_map_size);
	if (vm->ws_fd >= 0)
		close(vm->ws_fd);
	if (vm->extra)
		munmap(vm->extra, REAL_PAGE_SIZE);
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->ws_fd = -1;
}

void *real_vm_remap_ws(struct real_vm *vm, uint64_t first, uint64_t n)
{
	uint8_t *at = vm->ws + first * REAL_PAGE_SIZE;
	size_t len = n * REAL_PAGE_SIZE;
	void *p;

	if (vm->ws_fd >= 0)
		p = mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, vm->ws_fd,
			 (off_t)(first * REAL_PAGE_SIZE));
	else
		p = mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int real_vm_punch_hole(struct real_vm *vm, uint64_t first, uint64_t n, char *why, size_t len)
{
	if (vm->ws_fd < 0) {
		errno = 0;
		return fail(why, len, "no file stands behind the working set to punch");
	}
	if (fallocate(vm->ws_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)(first * REAL_PAGE_SIZE), (off_t)(n * REAL_PAGE_SIZE)))
		return fail(why, len, "fallocate(FALLOC_FL_PUNCH_HOLE) of pages %llu..%llu",
			    (unsigned long long)first, (unsigned long long)(first + n - 1));
	return 0;
}

static uint32_t ws_flags(const struct real_vm *vm)
{
	return vm->cfg.log_dirty ? KVM_MEM_LOG_DIRTY_PAGES : 0;
}

int real_vm_place_ws(struct real_vm *vm, uint64_t gpa, char *why, size_t len)
{
	if (set_slot(vm, REAL_SLOT_WS, ws_flags(vm), gpa, vm->ws,
		     vm->cfg.nr_pages * REAL_PAGE_SIZE))
		return fail(why, len, "KVM_SET_USER_MEMORY_REGION (the working set at %#llx)",
			    (unsigned long long)gpa);
	return 0;
}

int real_vm_delete_ws(struct real_vm *vm, char *why, size_t len)
{
	if (set_slot(vm, REAL_SLOT_WS, ws_flags(vm), REAL_WS_GPA, vm->ws, 0))
		return fail(why, len, "KVM_SET_USER_MEMORY_REGION (deleting the working set)");
	return 0;
}

int real_vcpu_state(struct real_vcpu *v, struct real_guest_state *s, char *why, size_t len)
{
	struct kvm_regs r;

	if (ioctl(v->fd, KVM_GET_REGS, &r))
		return fail(why, len, "KVM_GET_REGS on vCPU %d", v->id);
	*s = (struct real_guest_state){ .r8 = r.r8, .r11 = r.r11, .rax = r.rax };
	return 0;
}

int real_vm_extra_slot(struct real_vm *vm, bool present, char *why, size_t len)
{
	if (!vm->extra && !(vm->extra = guest_memory(REAL_PAGE_SIZE)))
		return fail(why, len, "cannot map the extra slot's page");
	if (set_slot(vm, REAL_SLOT_EXTRA, 0, REAL_EXTRA_GPA, vm->extra,
		     present ? REAL_PAGE_SIZE : 0))
		return fail(why, len, "KVM_SET_USER_MEMORY_REGION (%s the extra slot)",
			    present ? "adding" : "deleting");
	return 0;
}

void real_vm_set_iteration(struct real_vm *vm, uint64_t iteration)
{
	__atomic_store_n((uint64_t *)(vm->system + REAL_SHARED_GPA), iteration, __ATOMIC_RELEASE);
}

/* gpa is the working set's, at its home or where it moves. */
static bool ws_gpa(const struct real_vcpu *v, uint64_t gpa)
{
	uint64_t size = v->ws_pages * REAL_PAGE_SIZE;

	return (gpa >= REAL_WS_GPA && gpa < REAL_WS_GPA + size) ||
	       (gpa >= REAL_WS_ALT_GPA && gpa < REAL_WS_ALT_GPA + size);
}

enum real_exit real_vcpu_run(struct real_vcpu *v, char *why, size_t len)
{
	struct kvm_run *run = v->run;

	if (ioctl(v->fd, KVM_RUN, 0)) {
		if (errno == EFAULT)
			return REAL_EXIT_EFAULT;
		fail(why, len, "KVM_RUN on vCPU %d", v->id);
		return REAL_EXIT_OTHER;
	}
	if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT) {
		if (run->io.port == REAL_PORT_SYNC)
			return REAL_EXIT_SYNC;
		if (run->io.port == REAL_PORT_MISMATCH)
			return REAL_EXIT_MISMATCH;
	}
	if (run->exit_reason == KVM_EXIT_DIRTY_RING_FULL)
		return REAL_EXIT_RING_FULL;
	if (run->exit_reason == KVM_EXIT_MMIO && ws_gpa(v, run->mmio.phys_addr)) {
		/* A load reads zero; a store goes nowhere. */
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return REAL_EXIT_WRITE_DROPPED;
	}
	errno = 0;
	fail(why, len,
	     "vCPU %d exited with reason %u (port %#x, mmio %#llx %s), which the guest program "
	     "never asks for",
	     v->id, run->exit_reason, run->exit_reason == KVM_EXIT_IO ? run->io.port : 0,
	     run->exit_reason == KVM_EXIT_MMIO ? (unsigned long long)run->mmio.phys_addr : 0ULL,
	     run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write ? "write" : "read");
	return REAL_EXIT_OTHER;
}
