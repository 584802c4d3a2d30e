using System.Reflection;
using System.Reflection.Emit;

namespace SeqLab.Tests.Architecture;

/// <summary>
/// The SeqLab types another type uses: in its signatures (base type, interfaces, fields, properties,
/// parameters, return types, generic arguments, attributes) and in its method bodies (every type,
/// method and field token in the IL). Compiler-generated nested types (lambdas, iterators) count for
/// the type that declares them.
/// </summary>
static class TypeDependencies
{
    const BindingFlags All =
        BindingFlags.Public
        | BindingFlags.NonPublic
        | BindingFlags.Instance
        | BindingFlags.Static
        | BindingFlags.DeclaredOnly;

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter)
                return;
            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var a in t.GetGenericArguments())
                    Add(a);
                t = t.GetGenericTypeDefinition();
            }
            found.Add(t);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
            Add(i);
        foreach (var a in type.GetCustomAttributesData())
            Add(a.AttributeType);
        foreach (var f in type.GetFields(All))
            Add(f.FieldType);
        foreach (var p in type.GetProperties(All))
            Add(p.PropertyType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi)
                Add(mi.ReturnType);
            foreach (var p in m.GetParameters())
                Add(p.ParameterType);
            foreach (var t in BodyReferences(m))
                Add(t);
        }
        return found;
    }

    /// <summary>The declaring types of every member and type token in a method's IL.</summary>
    static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length; )
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField
                or OperandType.InlineMethod
                or OperandType.InlineType
                or OperandType.InlineTok:
                    var member = Resolve(method.Module, BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                    if (member is Type t)
                        yield return t;
                    else if (member?.DeclaringType is { } d)
                        yield return d;
                    if (member is MethodInfo called)
                        yield return called.ReturnType;
                    if (member is FieldInfo field)
                        yield return field.FieldType;
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    i += Size(op.OperandType);
                    break;
            }
        }
    }

    static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            return module.ResolveMember(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    static int Size(OperandType type) =>
        type switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            _ => 4,
        };
}
