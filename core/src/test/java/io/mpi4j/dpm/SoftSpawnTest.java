package io.mpi4j.dpm;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SoftSpawnTest
{
    @Test
    void parsesTheStandardForms()
    {
        assertArrayEquals(new int[]{ 0, 1, 2, 3, 4 }, SoftSpawn.allowedCounts("0:4", 8));
        assertArrayEquals(new int[]{ 1, 2, 4 }, SoftSpawn.allowedCounts("1,2,4", 8));
        assertArrayEquals(new int[]{ 2, 4, 6, 8 }, SoftSpawn.allowedCounts("2:10:2", 8));
        assertArrayEquals(new int[]{ 1, 3, 5 }, SoftSpawn.allowedCounts(" 1 , 3:5:2 ", 8));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "x", "1:x", "4:2", "1:4:0", "1:2:3:4", "-1", "1,,2" })
    void malformedValuesAreErrInfoValue(final String value)
    {
        final MpiError error = assertThrows(MpiError.class, () -> SoftSpawn.allowedCounts(value, 8));
        assertEquals(ErrorClass.ERR_INFO_VALUE, error.errorClass());
    }
}
