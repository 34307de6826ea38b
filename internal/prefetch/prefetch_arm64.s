#include "textflag.h"

// func Pointer(p unsafe.Pointer)
TEXT ·Pointer(SB), NOSPLIT|NOFRAME, $0-8
	MOVD p+0(FP), R0
	PRFM (R0), PLDL1KEEP
	RET
