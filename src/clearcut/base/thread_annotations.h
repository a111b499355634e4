#pragma once

// Clang's thread-safety annotations (-Wthread-safety checks them at compile time); empty on
// other compilers. Put GUARDED_BY(mu_) on every member a mutex protects, and REQUIRES/EXCLUDES
// on private functions that expect the lock held or free. std::mutex carries no annotations in
// libstdc++, so the analysis needs base::Mutex (clearcut/base/mutex.h).

#if defined(__clang__)
#define CC_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define CC_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) CC_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY CC_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) CC_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) CC_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) CC_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) CC_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) CC_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) CC_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
