extension Capabilities {
    /// The capabilities an app keeps: a retain set replaces the default, a remove set subtracts
    /// from it; never more than this process holds.
    static func mask(for isolators: [Isolator]) throws -> UInt64 {
        let kinds = Set(isolators.compactMap(\.kind))
        if kinds.contains(.capabilitiesRetainSet) && kinds.contains(.capabilitiesRemoveSet) {
            throw Stage1Error.conflictingCapabilitySets
        }
        var mask = try self.mask(defaultSet)
        for isolator in isolators {
            guard case .capabilities(let set)? = isolator.value else { continue }
            if isolator.kind == .capabilitiesRetainSet { mask = try self.mask(set) }
            if isolator.kind == .capabilitiesRemoveSet { mask &= ~(try self.mask(set)) }
        }
        return mask & permitted()
    }
}
