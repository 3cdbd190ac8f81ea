import Foundation

/// A pipe whose two ends are close-on-exec from the start (pipe2), so that programs other tests
/// start meanwhile never inherit an end and hold it open.
package struct PipePair: Sendable {
    package let read: Int32
    package let write: Int32

    package init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe2(&fds, O_CLOEXEC) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        read = fds[0]
        write = fds[1]
    }
}
