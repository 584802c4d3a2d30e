using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeqLab.IO;

/// <summary>Reads and writes every enum by its <see cref="Spelling"/>; an unknown spelling names the allowed
/// ones.</summary>
internal sealed class SpellingConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    sealed class Converter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text =
                reader.TokenType == JsonTokenType.String
                    ? reader.GetString()!
                    : throw new JsonException("expected a string");
            return Spelling.TryParse<T>(text, out var value)
                ? value
                : throw new JsonException($"'{text}' is not one of: {string.Join(", ", Spelling.All<T>())}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Name());
    }
}
