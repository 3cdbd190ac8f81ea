/// A setup command that did not succeed.
package struct CommandFailed: Error, CustomStringConvertible {
    package let command: String
    package let result: Tool.Result

    package init(command: String, result: Tool.Result) {
        self.command = command
        self.result = result
    }

    package var description: String { "\(command) exited \(result.status): \(result.stderr)" }
}
