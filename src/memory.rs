//! Memory: what the process holds, and handing freed memory back. glibc's allocator gives each thread that
//! allocates its own arena and keeps freed pages in them; a run's threads (the crawler's runtime, rayon's
//! workers) each parse large pages, so the process held two to three times what it used. [`limit_arenas`] caps
//! the arenas at the start of the process and [`trim`] returns free pages between batches. Both do nothing
//! where the C library is not glibc. The `uptake` binary allocates through mimalloc (its `#[global_allocator]`),
//! set to keep freed pages for reuse (see `keep_freed_pages` in main.rs): there these two reach only what C
//! libraries allocate with `malloc`; a program that uses the library with the system allocator keeps both.

/// Arenas the allocator may create, at most (glibc's default is eight per core).
pub const MAX_ARENAS: i32 = 2;

/// Caps the allocator's arenas at [`MAX_ARENAS`]; call once, before other threads start.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, MAX_ARENAS);
    }
}

/// Returns the allocator's free pages to the system.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it takes the allocator's own locks.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Logs (at debug level) the memory the process holds and its peak so far, where the system says (Linux).
pub fn log(at: &str) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    tracing::debug!(
        "memory after {at}: {} MB held, {} MB at the peak so far",
        field("VmRSS:"),
        field("VmHWM:")
    );
}
