import Dispatch

/// A value computed on another thread; `get()` waits for it.
public final class BackgroundValue<T>: @unchecked Sendable {
    private var result: Result<T, Error>?
    private let done = DispatchSemaphore(value: 0)

    public init(_ compute: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async { [self] in
            result = Result { try compute() }
            done.signal()
        }
    }

    public func get() throws -> T {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
