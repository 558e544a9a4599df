import AmpfixCore
import CSELinux
import CSepol
import Glibc

/// Access decisions for `TYPE self:CLASS { perms }`: from the kernel's loaded policy through
/// libselinux (`security_compute_av`), or from a binary policy file through libsepol
/// (`sepol_compute_av`) for a root whose policy no kernel has loaded.
enum PolicyDecisions {
    /// The contexts tried for a type: with an MLS/MCS level first, then without.
    static func contexts(for type: String) -> [String] {
        ["system_u:system_r:\(type):s0", "system_u:system_r:\(type)"]
    }

    static func kernel(type: String, targetClass: String, permissions: [String]) -> AccessCheck {
        let tclass = string_to_security_class(targetClass)
        guard tclass != 0 else { return .unavailable(.msg("the loaded policy has no class \(targetClass)")) }
        guard let context = contexts(for: type).first(where: { security_check_context($0) == 0 }) else {
            return .typeUndefined(type)
        }
        return decide(permissions, bit: { permission in
            let bit = string_to_av_perm(tclass, permission)
            return bit == 0 ? nil : bit
        }, allowed: { requested in
            var decision = av_decision()
            return security_compute_av(context, context, tclass, requested, &decision) == 0 ? decision.allowed : nil
        }, failure: "security_compute_av")
    }

    static func policyFile(_ file: UnsafeMutablePointer<FILE>, type: String, targetClass: String, permissions: [String]) -> AccessCheck {
        do { try SELinuxLibraries.loadSepol() } catch { return .unavailable(.msg("\(error)")) }
        sepol_debug(0)  // libsepol would print its complaints to stderr
        guard sepol_set_policydb_from_file(file) == 0 else { return .unavailable(.msg("libsepol cannot read the policy file")) }
        var tclass: sepol_security_class_t = 0
        guard sepol_string_to_security_class(targetClass, &tclass) == 0 else {
            return .unavailable(.msg("the policy has no class \(targetClass)"))
        }
        var sid: sepol_security_id_t = 0
        let found = contexts(for: type).contains { context in
            context.withCString { sepol_context_to_sid($0, strlen($0) + 1, &sid) == 0 }
        }
        guard found else { return .typeUndefined(type) }
        return decide(permissions, bit: { permission in
            var bit: sepol_access_vector_t = 0
            return sepol_string_to_av_perm(tclass, permission, &bit) == 0 ? bit : nil
        }, allowed: { requested in
            var decision = sepol_av_decision()
            return sepol_compute_av(sid, sid, tclass, requested, &decision) == 0 ? decision.allowed : nil
        }, failure: "sepol_compute_av")
    }

    /// The part both policies share: permission names to bits (an unknown name is denied), one
    /// decision for all of them, and the names whose bits it does not allow.
    static func decide(_ permissions: [String], bit: (String) -> UInt32?, allowed: (UInt32) -> UInt32?, failure: String) -> AccessCheck {
        var bits: [(name: String, bit: UInt32)] = []
        for permission in permissions {
            guard let value = bit(permission) else { return .denied(missing: [permission]) }
            bits.append((permission, value))
        }
        guard let granted = allowed(bits.reduce(0) { $0 | $1.bit }) else { return .unavailable(.msg("\(failure) failed")) }
        let missing = bits.filter { granted & $0.bit == 0 }.map(\.name)
        return missing.isEmpty ? .granted(permissions) : .denied(missing: missing)
    }
}
