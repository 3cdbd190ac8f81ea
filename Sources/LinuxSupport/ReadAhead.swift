import Dispatch
import Glibc

/// Reads a descriptor to its end on a second thread, one buffer ahead of the consumer, so the
/// copy out of the page cache overlaps with the consumer's work (hashing, mostly).
public enum ReadAhead {
    /// Calls `consume` with each chunk in order.
    public static func forEach(fileDescriptor: Int32, path: String, chunkSize: Int = 4 << 20,
                               _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffers = [UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64),
                       UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)]
        defer { buffers.forEach { $0.deallocate() } }
        let state = State(buffers: buffers)
        let reader = Thread(fileDescriptor: fileDescriptor, path: path, state: state)
        DispatchQueue.global().async { reader.run() }
        var index = 0
        defer {
            state.stop = true
            state.empty[index].signal()
            reader.done.wait()
        }
        while true {
            state.full[index].wait()
            if let error = state.error { throw error }
            let count = state.counts[index]
            if count == 0 { return }
            try consume(UnsafeRawBufferPointer(rebasing: buffers[index][..<count]))
            state.empty[index].signal()
            index ^= 1
        }
    }

    /// What the two threads share: each buffer is either empty (the reader's) or full (the consumer's).
    private final class State: @unchecked Sendable {
        let buffers: [UnsafeMutableRawBufferPointer]
        let empty = [DispatchSemaphore(value: 1), DispatchSemaphore(value: 1)]
        let full = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        var counts = [0, 0]
        var error: Error?
        var stop = false

        init(buffers: [UnsafeMutableRawBufferPointer]) { self.buffers = buffers }
    }

    private final class Thread: @unchecked Sendable {
        let fileDescriptor: Int32
        let path: String
        let state: State
        let done = DispatchSemaphore(value: 0)

        init(fileDescriptor: Int32, path: String, state: State) {
            self.fileDescriptor = fileDescriptor
            self.path = path
            self.state = state
        }

        func run() {
            defer { done.signal() }
            var index = 0
            while true {
                state.empty[index].wait()
                if state.stop { return }
                var filled = 0
                do {
                    while filled < state.buffers[index].count {
                        let count = try FileIO.read(fileDescriptor, into: UnsafeMutableRawBufferPointer(rebasing: state.buffers[index][filled...]), path: path)
                        if count == 0 { break }
                        filled += count
                    }
                } catch {
                    state.error = error
                }
                state.counts[index] = filled
                state.full[index].signal()
                if filled == 0 || state.error != nil { return }
                index ^= 1
            }
        }
    }
}
