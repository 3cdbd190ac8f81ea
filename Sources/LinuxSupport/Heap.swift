import CLinux

/// How the process's allocator treats large buffers.
public enum Heap {
    /// Reuses freed buffers of up to 32 MiB instead of mapping fresh pages for each: every new
    /// page costs a fault, and a fetch or a build allocates a decompression or read buffer per
    /// gzip member or per file. Trades a few MB of peak memory for most of those faults.
    public static func reuseFreedBuffers() { rkt_reuse_freed_memory() }
}
